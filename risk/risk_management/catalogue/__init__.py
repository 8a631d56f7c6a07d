"""The catalogue of common AI risks and measures, shipped as YAML data files in this package."""
