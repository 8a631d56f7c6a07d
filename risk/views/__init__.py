"""Pages of the classification, screening, obligations and library capabilities."""
