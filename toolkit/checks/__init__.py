"""Data checks: leakage, drift, label issues, metric confidence, baselines and the health report.

Names are imported on first use so ``import toolkit.checks`` stays light.

Example:
    >>> from toolkit import checks
    >>> callable(checks.leakage)
    True
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from toolkit._lazy import lazy_exports

_EXPORTS = {
    "leakage": "toolkit.checks.leakage",
    "drift": "toolkit.checks.drift",
    "adversarial_validation": "toolkit.checks.drift",
    "label_issues": "toolkit.checks.labels",
    "bootstrap_ci": "toolkit.checks.reliability",
    "paired_bootstrap": "toolkit.checks.reliability",
    "compare_models": "toolkit.checks.baselines",
    "health_report": "toolkit.checks.report",
    "HealthReport": "toolkit.checks.report",
    "CheckResult": "toolkit.checks.result",
    "Finding": "toolkit.checks.result",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, absolute=True)


class _FunctionsWin(ModuleType):
    """``toolkit.checks.drift`` is both a module and a function; the function wins.

    Importing a submodule makes Python set it as an attribute of this package, which would
    shadow the lazily exported function of the same name. Ignoring that one assignment keeps
    ``checks.drift(...)`` callable; the module stays importable via ``sys.modules``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _FunctionsWin
