"""Template filters that put the risk register's stored keys into the reader's words."""

from django import template

from risk.risk_management.choices import band_label as _band_label

register = template.Library()


@register.filter
def band_label(band):
    """A score band's name ("critical" → "Critical", translated)."""
    return _band_label(band)
