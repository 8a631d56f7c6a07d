"""Template helpers for the law's data: the confidence marks [P] [S] [seed] [U] explained in words."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from risk.choices import MARK_EXPLANATIONS, ReferenceLevel

register = template.Library()
MARK = re.compile(r"\[(P|S|seed|U)\]")


@register.filter(needs_autoescape=True)
def marks(text, autoescape=True):
    """Escape `text` and give each confidence mark in it a tooltip saying what it means."""
    escaped = conditional_escape(text) if autoescape else str(text)
    return mark_safe(
        MARK.sub(
            lambda m: format_html(
                '<abbr class="ref-mark" title="{}">[{}]</abbr>', MARK_EXPLANATIONS[m.group(1)], m.group(1)
            ),
            str(escaped),
        )
    )


@register.inclusion_tag("risk/_marks_legend.html")
def marks_legend():
    """The legend of the confidence marks, for every page that shows them."""
    return {"marks": [(level, MARK_EXPLANATIONS[level]) for level in ReferenceLevel.values]}
