"""Result objects shared by every check: a list of findings that renders as text, dict and HTML.

Example:
    >>> from toolkit.checks.result import CheckResult, Finding
    >>> r = CheckResult("leakage", [Finding("high", "duplicates", ["*"], "3 rows in both", {})])
    >>> r.has_high
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import UsageError

SEVERITIES = ("high", "medium", "low")
_ORDER = {name: i for i, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """One problem found by a check.

    ``severity`` is "high" (fix before trusting any metric), "medium" (look at it) or "low"
    (worth knowing); ``columns`` names the features involved; ``evidence`` holds the numbers.
    """

    severity: str
    check: str
    columns: list[str]
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in _ORDER:
            raise UsageError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form of the finding."""
        return {
            "severity": self.severity,
            "check": self.check,
            "columns": list(self.columns),
            "message": self.message,
            "evidence": _jsonable(self.evidence),
        }

    def __str__(self) -> str:
        return f"[{self.severity.upper():6}] {self.check}: {self.message}"


@dataclass
class CheckResult:
    """The outcome of one check function: its findings (sorted high first) and summary numbers."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.findings = by_severity(self.findings)

    @property
    def has_high(self) -> bool:
        """True when any finding is high severity (the CLI exits 1)."""
        return any(f.severity == "high" for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        return severity_counts(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form: name, counts, summary numbers and every finding."""
        return {
            "name": self.name,
            "counts": self.counts(),
            "summary": _jsonable(self.summary),
            "findings": [f.to_dict() for f in self.findings],
        }

    def __str__(self) -> str:
        c = self.counts()
        head = f"{self.name}: {c['high']} high, {c['medium']} medium, {c['low']} low"
        if not self.findings:
            return head + " -- no problems found"
        return "\n".join([head, *("  " + str(f) for f in self.findings)])

    def __repr__(self) -> str:
        return f"<CheckResult {self.name!r} {self.counts()}>"


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    """``{"high": n, "medium": n, "low": n}`` of ``findings``: one count for results and reports."""
    return {s: sum(f.severity == s for f in findings) for s in SEVERITIES}


def by_severity(findings: list[Finding]) -> list[Finding]:
    """``findings`` high severity first (stable within a severity)."""
    return sorted(findings, key=lambda f: _ORDER[f.severity])


def _jsonable(value: Any) -> Any:
    """Turn numpy scalars/arrays and tuples into plain JSON types (recursively)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalar or array
        return _jsonable(value.tolist())
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value
