"""Writes of the classification, screening, obligations and library capabilities (issue 4).

Split by concept: `library`, `obligations`, `classification`, `screening`. The risk register's
services (issue 5) live in `risk/risk_management/services.py`.
"""
