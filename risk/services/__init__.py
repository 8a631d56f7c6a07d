"""Writes of the classification, screening, obligations and library capabilities.

Split by concept: `library` (versions), `adoption` (preview and adopt a version), `obligations`,
`classification`, `screening`. The risk register's services live in
`risk/risk_management/services.py`.
"""
