"""Experiment records and comparison, and a guard against overfitting the test set.

Every run is one folder of plain files under ``runs/`` in the project (see
:mod:`toolkit.runs.store`); ``toolkit runs list|show|compare|audit|export|import`` read them.
Names are imported on first use so ``import toolkit.runs`` stays light.

Example:
    >>> import tempfile
    >>> from toolkit import runs
    >>> with runs.start("baseline", params={"C": 1.0}, root=tempfile.mkdtemp(), git=False) as run:
    ...     run.log("loss", 0.5, step=0)
    >>> run.status
    'finished'
"""

from __future__ import annotations

from toolkit._lazy import lazy_exports

_EXPORTS = {
    "start": "recording",
    "begin": "recording",
    "resume": "recording",
    "Run": "recording",
    "RunStore": "store",
    "RunRecord": "store",
    "compare": "comparison",
    "Comparison": "comparison",
    "audit": "audit",
    "AuditReport": "audit",
    "export_mlflow": "mlflow_io",
    "import_mlflow": "mlflow_io",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
