"""The one exporter's streams: the text sent a piece at a time is the text built whole."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kzai.core.spreadsheets import json_stream

# JSON values as the activity log's records hold them: text of any kind (line breaks, quotes,
# Cyrillic, separators), numbers, nothing, and lists and objects of them, nested.
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, max_size=230))  # past two batches of items
def test_json_stream_is_json_dumps_piece_by_piece(items):
    pieces = list(json_stream(iter(items)))
    assert "".join(pieces) == json.dumps(items, ensure_ascii=False, indent=1)
    assert len(pieces) == len(items) // 100 + 1
