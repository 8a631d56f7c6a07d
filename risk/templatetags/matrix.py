"""The obligation matrix's cells, rendered in Python.

A page of the matrix has 50 systems × ~12 requirement columns: ~600 cells, each with a link, a
status label (twice) and a status mark. Rendered by the template language (an `{% include %}`, a
`{% url %}` and two `get_status_display` per cell) they were most of the page's time (~90 of
~130 ms CPU at 10,000 systems). A cell's label and mark depend only on its status, so they are
worked out once per status and request; the link differs only by the obligation's id, so the URL
is reversed once and the id put in its place. The markup is exactly the template's.
"""

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# A number no obligation has, reversed once and replaced by each cell's id.
_PLACEHOLDER = 987654321987


class _Cells:
    """What the cells of one page share: the link around an id, the label and mark of a status."""

    def __init__(self):
        url = reverse("risk:obligation_detail", args=[_PLACEHOLDER])
        self.head, self.tail = (conditional_escape(part) for part in url.split(str(_PLACEHOLDER), 1))
        self.mark_template = get_template("risk/_status_mark.html")
        self.by_status: dict[str, tuple[str, str]] = {}

    def status(self, obligation) -> tuple[str, str]:
        """(escaped status class + opening of the cell, the rest after the link) of a status."""
        status = obligation.status
        if status not in self.by_status:
            label = conditional_escape(obligation.get_status_display())
            mark = self.mark_template.render({"status": status})
            self.by_status[status] = (
                f'<td class="cell status-{conditional_escape(status)}"><a href="{self.head}',
                f'{self.tail}" title="{label}"><span aria-hidden="true">{mark}</span>'
                f'<span class="visually-hidden">{label}</span></a></td>',
            )
        return self.by_status[status]


@register.simple_tag(takes_context=True)
def matrix_cells(context, row):
    """The `<td>` of every column of a matrix row: empty where the obligation does not apply (or is
    filtered out), else a link to the obligation with its status as mark and words."""
    cells = context.render_context.get(_Cells)
    if cells is None:
        cells = context.render_context[_Cells] = _Cells()
    parts = []
    for obligation in row.cells.values():
        if obligation is None:
            parts.append('<td class="cell"></td>')
        else:
            opening, rest = cells.status(obligation)
            parts.append(f"{opening}{obligation.pk}{rest}")
    return mark_safe("".join(parts))
