"""Property tests over generated notebooks: sources kept, idempotent, formatting preserved."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.notebooks.io import dumps_notebook, loads_notebook
from toolkit.notebooks.strip import StripOptions, strip_notebook, strip_text

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
metadata = st.dictionaries(
    st.sampled_from(["tags", "scrolled", "collapsed", "custom", "ExecuteTime"]),
    st.one_of(st.booleans(), text, st.lists(text, max_size=3)),
    max_size=3,
)
output = st.fixed_dictionaries(
    {"output_type": st.just("stream"), "name": st.just("stdout"), "text": text}
)
cell = st.fixed_dictionaries(
    {
        "cell_type": st.sampled_from(["code", "markdown", "raw"]),
        "id": st.text(alphabet="abcdef0123456789-", min_size=1, max_size=12),
        "metadata": metadata,
        "source": st.one_of(text, st.lists(text, max_size=4)),
    }
).map(
    lambda c: (
        {
            **c,
            "execution_count": 1,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}],
        }
        if c["cell_type"] == "code"
        else c
    )
)
notebook = st.builds(
    lambda cells, meta: {
        "cells": [{**c, "id": f"c{i}"} for i, c in enumerate(cells)],  # ids are unique
        "metadata": meta,
        "nbformat": 4,
        "nbformat_minor": 5,
    },
    st.lists(cell, max_size=6),
    st.dictionaries(st.sampled_from(["kernelspec", "widgets", "custom"]), text, max_size=2),
)
options = st.builds(
    StripOptions,
    keep_output=st.just(False),
    keep_id=st.just(True),
    extra_keys=st.just(()),
    keep_metadata=st.just(()),
    strip_init_cells=st.just(False),
    keep_count=st.booleans(),
    drop_empty_cells=st.booleans(),
    drop_tagged_cells=st.lists(st.sampled_from(["a", "b"]), max_size=2).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(notebook, options)
def test_sources_ids_and_unrelated_metadata_are_preserved(nb: dict, opts: StripOptions) -> None:
    stripped = strip_notebook(nb, opts)
    kept_ids = [c["id"] for c in stripped["cells"]]
    originals = {c["id"]: c for c in nb["cells"]}
    for out in stripped["cells"]:
        original = originals[out["id"]]
        assert out["source"] == original["source"] and out["cell_type"] == original["cell_type"]
        if "custom" in original["metadata"]:
            assert out["metadata"]["custom"] == original["metadata"]["custom"]
    if not opts.drop_empty_cells and not opts.drop_tagged_cells:
        assert kept_ids == [c["id"] for c in nb["cells"]]
    assert nb["metadata"].get("custom") == stripped["metadata"].get("custom")


@settings(max_examples=150, deadline=None)
@given(notebook, options)
def test_idempotent(nb: dict, opts: StripOptions) -> None:
    once = strip_notebook(nb, opts)
    assert strip_notebook(once, opts) == once


@settings(max_examples=100, deadline=None)
@given(notebook, st.sampled_from([1, 2, 4, None]), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_format_round_trip(nb: dict, indent: int | None, ensure_ascii: bool, newline: str) -> None:
    raw = json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii) + "\n"
    raw = raw.replace("\n", newline)
    parsed, style = loads_notebook(raw)
    assert dumps_notebook(parsed, style) == raw
    stripped = strip_text(raw)
    assert strip_text(stripped) == stripped
