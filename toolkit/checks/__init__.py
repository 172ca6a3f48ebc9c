"""Data checks: leakage, drift, label issues, metric confidence, baselines and the health report.

Names are imported on first use so ``import toolkit.checks`` stays light; static analysers and
IDEs see the real functions through the ``TYPE_CHECKING`` imports below. Each name is defined
in a module whose name differs from it (``leakage`` lives in ``train_test_leakage``), so
``toolkit.checks.leakage`` is always the function.

Example:
    >>> from toolkit import checks
    >>> callable(checks.leakage)
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_exports

if TYPE_CHECKING:  # static analysers see the real names; runtime imports stay lazy
    from toolkit.checks.baselines import compare_models as compare_models
    from toolkit.checks.labels import LabelIssues as LabelIssues
    from toolkit.checks.labels import label_issues as label_issues
    from toolkit.checks.reliability import bootstrap_ci as bootstrap_ci
    from toolkit.checks.reliability import paired_bootstrap as paired_bootstrap
    from toolkit.checks.report import HealthReport as HealthReport
    from toolkit.checks.report import health_report as health_report
    from toolkit.checks.result import CheckResult as CheckResult
    from toolkit.checks.result import Finding as Finding
    from toolkit.checks.train_test_drift import adversarial_validation as adversarial_validation
    from toolkit.checks.train_test_drift import drift as drift
    from toolkit.checks.train_test_drift import new_labels as new_labels
    from toolkit.checks.train_test_leakage import leakage as leakage

_EXPORTS = {
    "leakage": "train_test_leakage",
    "drift": "train_test_drift",
    "adversarial_validation": "train_test_drift",
    "new_labels": "train_test_drift",
    "label_issues": "labels",
    "LabelIssues": "labels",
    "bootstrap_ci": "reliability",
    "paired_bootstrap": "reliability",
    "compare_models": "baselines",
    "health_report": "report",
    "HealthReport": "report",
    "CheckResult": "result",
    "Finding": "result",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
