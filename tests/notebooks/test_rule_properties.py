"""Property: over generated notebooks of every unusual-but-valid kind, stripping keeps the rule.

Notebooks vary in structure (cell types, string/list sources, lone-surrogate and non-ASCII
text, outputs with counts, keep_output tags and metadata, volatile keys, literal dotted keys,
deep metadata, odd value types, numbers spelled 1.50/1E5/1e400) and in layout (indentation,
separators, whitespace before colons, key order, escapes, CRLF/CR/mixed line ends, trailing
bytes, dead duplicate keys); options vary too. Each example must be stripped per the rule
(strict JSON, the reference meaning, no re-encoding outside the edits) and be idempotent, and
the fast path (msgspec) must give the same bytes or decline.

The default run draws 300 examples (a few seconds); the slow test draws 10,000
(``NB_RULE_EXAMPLES`` overrides both).
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from notebook_rule import Layout, Spelled, assert_stripped_per_rule

from toolkit.errors import InvalidNotebookError
from toolkit.notebooks.fastsplice import strip_fast
from toolkit.notebooks.splice import strip_bytes
from toolkit.notebooks.strip import StripOptions, strip_notebook

text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(["\ud800", "\udfff", "/", '"', "\\", "\n", "\r", "中", "é", "😀"]),
    ),
    max_size=12,
)
number = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1.50", "1E5", "1e400", "-0", "0.0"]).map(Spelled),
)
scalar = st.one_of(st.none(), st.booleans(), number, text)
value = st.recursive(
    scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=12,
)


def deep(depth: int) -> dict[str, Any]:
    nested: dict[str, Any] = {"leaf": 1}
    for _ in range(depth):
        nested = {"a": nested}
    return nested


TAGS = ["keep_output", "scratch", "debug", "x"]
cell_metadata = st.dictionaries(
    st.sampled_from(
        [
            "tags",
            "scrolled",
            "collapsed",
            "ExecuteTime",
            "execution",
            "hidden",
            "custom",
            "keep_output",
            "init_cell",
            "metadata.collapsed",
            "deep",
        ]
    ),
    st.one_of(value, st.lists(st.sampled_from(TAGS), max_size=2), st.integers(1, 60).map(deep)),
    max_size=4,
)
output = st.one_of(
    st.fixed_dictionaries(
        {"output_type": st.just("stream"), "name": st.just("stdout"), "text": text}
    ),
    st.fixed_dictionaries(
        {
            "output_type": st.just("execute_result"),
            "execution_count": st.one_of(st.none(), st.integers(1, 99)),
            "data": st.dictionaries(st.just("text/plain"), text),
            "metadata": st.dictionaries(text, value, max_size=2),
        }
    ),
    st.fixed_dictionaries(
        {
            "output_type": st.just("error"),
            "ename": text,
            "evalue": text,
            "traceback": st.lists(text),
        }
    ),
)


@st.composite
def cells(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["code", "code", "markdown", "raw"]))
    cell: dict[str, Any] = {"cell_type": kind}
    if draw(st.booleans()):
        cell["id"] = draw(st.text(alphabet="abc0123456789-", min_size=1, max_size=8))
    cell["metadata"] = draw(cell_metadata)
    cell["source"] = draw(st.one_of(text, st.lists(text, max_size=3)))
    if kind == "code":
        cell["execution_count"] = draw(st.one_of(st.none(), st.integers(0, 500)))
        cell["outputs"] = draw(st.lists(output, max_size=3))
    if draw(st.integers(0, 9)) == 0:
        cell["metadata.collapsed"] = draw(value)  # a literal dotted key: not a path
    keys = list(cell)
    draw(st.randoms()).shuffle(keys)
    return {key: cell[key] for key in keys}


@st.composite
def notebooks(draw: st.DrawFn) -> dict[str, Any]:
    metadata = draw(
        st.dictionaries(
            st.sampled_from(["widgets", "signature", "kernelspec", "keep_output", "custom"]),
            value,
            max_size=3,
        )
    )
    nb: dict[str, Any] = {
        "cells": draw(st.lists(cells(), max_size=5)),
        "metadata": metadata,
        "nbformat": 4,
        "nbformat_minor": draw(st.integers(0, 5)),
    }
    if draw(st.integers(0, 9)) == 0:
        nb["metadata.widgets"] = draw(value)  # a literal dotted key at the top level
    return nb


strip_options = st.builds(
    StripOptions,
    keep_output=st.booleans(),
    keep_count=st.booleans(),
    keep_id=st.booleans(),
    extra_keys=st.lists(
        st.sampled_from(["metadata.custom", "cell.metadata.custom", "cell.metadata.deep.a.a"]),
        max_size=2,
    ).map(tuple),
    keep_metadata=st.lists(st.sampled_from(["scrolled", "metadata.widgets"]), max_size=1).map(
        tuple
    ),
    drop_empty_cells=st.booleans(),
    drop_tagged_cells=st.lists(st.sampled_from(TAGS[1:]), max_size=2).map(tuple),
    strip_init_cells=st.booleans(),
)


def check_rule(nb: dict[str, Any], seed: int, options: StripOptions) -> None:
    data = Layout(random.Random(seed)).document(nb)
    if random.Random(seed).random() < 0.05:
        data = b"\xef\xbb\xbf" + data  # a byte-order mark, as some Windows editors write
    reference = json.loads(data.decode("utf-8").lstrip("\ufeff"))
    try:
        strip_notebook(reference, options)
    except InvalidNotebookError:  # contradicting keep_output metadata and tag: refused
        with pytest.raises(InvalidNotebookError):
            strip_bytes(data, options, "nb.ipynb")
        return
    stripped, cleared = strip_bytes(data, options, "nb.ipynb", fast=False)
    assert_stripped_per_rule(data, stripped, options)
    fast = strip_fast(data, options)  # the fast path takes it exactly so, or declines
    assert fast is None or fast == (stripped, cleared), "the fast path differs"
    again, _ = strip_bytes(stripped, options, "nb.ipynb")
    assert again == stripped, "stripping is idempotent"


EXAMPLES = int(os.environ.get("NB_RULE_EXAMPLES", "0"))
_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


@settings(max_examples=EXAMPLES or 300, **_SETTINGS)
@given(notebooks(), st.integers(0, 2**32), strip_options)
def test_rule_holds_for_generated_notebooks(
    nb: dict[str, Any], seed: int, options: StripOptions
) -> None:
    check_rule(nb, seed, options)


@pytest.mark.slow
@settings(max_examples=EXAMPLES or 10_000, **_SETTINGS)
@given(notebooks(), st.integers(0, 2**32), strip_options)
def test_rule_holds_for_10000_generated_notebooks(
    nb: dict[str, Any], seed: int, options: StripOptions
) -> None:
    check_rule(nb, seed, options)
