"""The matrix export reads systems and their obligations a chunk at a time (`matrix_streamed`): its
rows must be the rows of the whole matrix, whatever the chunk size, with the same columns."""

import csv
import io

import pytest
from django.urls import reverse

from risk import selectors
from risk.choices import ObligationStatus
from risk.services.obligations import obligation_update
from tests.factories import system_with_obligations

pytestmark = pytest.mark.django_db


def _shape(grid):
    return (
        grid.codes,
        {code: requirement.pk for code, requirement in grid.titles.items()},
        [
            (row.system.pk, {c: (o.pk, o.status) if o else None for c, o in row.cells.items()}, row.score)
            for row in grid.rows
        ],
    )


@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
@pytest.mark.parametrize("status", ["", ObligationStatus.MET])
def test_streamed_rows_are_the_whole_matrix_whatever_the_chunk(org, officer, chunk_size, status):
    systems = [
        system_with_obligations(org, name=f"System {i}", interacts_with_natural_persons=bool(i % 2))
        for i in range(5)
    ]
    obligation_update(
        obligation=systems[1].obligations.first(), status=ObligationStatus.MET, membership=officer
    )
    queryset = selectors.systems_for(officer).order_by("name", "id")
    whole = selectors.matrix(officer, queryset, status=status)
    streamed = selectors.matrix_streamed(officer, queryset, status=status, chunk_size=chunk_size)
    assert _shape(streamed) == _shape(whole)
    assert len(whole.rows) == 5 and any(row.score.met for row in whole.rows)

    code = whole.codes[0]
    one_column = selectors.matrix_streamed(officer, queryset, codes=[code], chunk_size=chunk_size)
    assert _shape(one_column) == _shape(selectors.matrix(officer, queryset, codes=[code]))


def test_the_export_has_one_line_a_system_in_the_pages_order(org, officer, web_for):
    for i in range(3):
        system_with_obligations(org, name=f"System {i}")
    response = web_for(officer).get(reverse("risk:matrix"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["System 0", "System 1", "System 2"]
    assert all(len(row) == len(rows[0]) for row in rows)
