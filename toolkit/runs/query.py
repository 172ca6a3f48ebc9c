"""Choosing and ordering runs: ``--where`` filters and ``--sort`` keys.

A filter is ``FIELD OP VALUE`` with OP one of ``= != > >= < <= ~`` (``~``: contains). FIELD is
``params.NAME``, ``metrics.NAME`` (the metric's last value), ``name``, ``status``, ``id``,
``git.commit``, ``tags.NAME``, or a bare NAME, looked up in params, then metrics. VALUE is read
as JSON when it parses (``0.1``, ``true``) and as text otherwise.

Example:
    >>> parse_filter("params.lr>=0.01")
    Filter(field='params.lr', op='>=', value=0.01)
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from toolkit._metrics import lower_is_better
from toolkit.errors import UsageError
from toolkit.runs.store import RunRecord

_FILTER = re.compile(r"^\s*([^=!<>~\s]+)\s*(==|=|!=|>=|<=|>|<|~)\s*(.*?)\s*$")
_MISSING = object()


@dataclass(frozen=True)
class Filter:
    """One ``--where`` condition."""

    field: str
    op: str
    value: Any


def parse_filter(text: str) -> Filter:
    """``"params.lr>=0.01"`` as a :class:`Filter`; a malformed one is a ``UsageError``."""
    match = _FILTER.match(text)
    if not match:
        raise UsageError(
            f"--where {text!r}: expected FIELD OP VALUE, e.g. 'params.lr>=0.01' or 'status=failed'"
        )
    field, op, raw = match.groups()
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return Filter(field, "=" if op == "==" else op, value)


def field_value(run: RunRecord, field: str) -> Any:
    """The value of ``field`` for ``run`` (see the module doc), or a missing marker."""
    head, _, rest = field.partition(".")
    if head == "params" and rest:
        return _dig(run.params, rest)
    if head == "metrics" and rest:
        entry = run.summary().get(rest)
        return entry["last"] if entry else _MISSING
    if head == "tags" and rest:
        return run.meta.get("tags", {}).get(rest, _MISSING)
    if head == "git" and rest:
        return (run.meta.get("git") or {}).get(rest, _MISSING)
    if field in {"name", "status", "id"}:
        return getattr(run, field)
    value = _dig(run.params, field)
    if value is _MISSING:
        entry = run.summary().get(field)
        value = entry["last"] if entry else _MISSING
    return value


def _dig(params: dict[str, Any], dotted: str) -> Any:
    if dotted in params:
        return params[dotted]
    node: Any = params
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is _MISSING:
        return op == "!="
    if op == "~":
        return str(right) in str(left)
    if op in {"=", "!="}:
        same = left == right or str(left) == str(right)
        return same if op == "=" else not same
    try:
        a, b = float(left), float(right)
    except (TypeError, ValueError):
        a, b = str(left), str(right)  # type: ignore[assignment]
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]


def select(runs: list[RunRecord], filters: list[Filter]) -> list[RunRecord]:
    """The runs matching every filter."""
    return [
        r for r in runs if all(_compare(field_value(r, f.field), f.op, f.value) for f in filters)
    ]


def sort_runs(
    runs: list[RunRecord], key: str | None, *, descending: bool | None = None
) -> list[RunRecord]:
    """Runs ordered by ``key`` (a field as in filters; metrics best first by their direction);
    runs without a value come last. Without a key: oldest first."""
    if key is None:
        return sorted(runs, key=lambda r: (r.started, r.id))
    name = key.split(".", 1)[1] if key.startswith(("metrics.", "params.")) else key
    if descending is None:
        descending = not lower_is_better(name)

    def order(run: RunRecord) -> tuple[int, Any]:
        value = field_value(run, key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return (0, -value if descending else value)
        if value is _MISSING or value is None or str(value) in {"nan", "inf", "-inf"}:
            return (2, "")
        return (1, str(value))

    return sorted(runs, key=order)
