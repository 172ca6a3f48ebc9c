"""Experiment records and comparison, and a guard against overfitting the test set.

Every run is one folder of plain files under ``runs/`` in the project (see
:mod:`toolkit.runs.store`); ``toolkit runs list|show|compare|audit|export|import`` read them.
Names are imported on first use so ``import toolkit.runs`` stays light; static analysers and
IDEs see the real functions through the ``TYPE_CHECKING`` imports below. Each name is defined
in a module whose name differs from it (``audit`` lives in ``guard``), so ``toolkit.runs.audit``
is always the function.

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

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `import toolkit.runs` stays light
if TYPE_CHECKING:  # static analysers see the real names; runtime imports stay lazy
    from toolkit.runs.comparison import Comparison as Comparison
    from toolkit.runs.comparison import compare as compare
    from toolkit.runs.guard import AuditReport as AuditReport
    from toolkit.runs.guard import audit as audit
    from toolkit.runs.mlflow_io import export_mlflow as export_mlflow
    from toolkit.runs.mlflow_io import import_mlflow as import_mlflow
    from toolkit.runs.recording import Run as Run
    from toolkit.runs.recording import begin as begin
    from toolkit.runs.recording import resume as resume
    from toolkit.runs.recording import start as start
    from toolkit.runs.store import RunRecord as RunRecord
    from toolkit.runs.store import RunStore as RunStore

_EXPORTS = {
    "start": "recording",
    "begin": "recording",
    "resume": "recording",
    "Run": "recording",
    "RunStore": "store",
    "RunRecord": "store",
    "compare": "comparison",
    "Comparison": "comparison",
    "audit": "guard",
    "AuditReport": "guard",
    "export_mlflow": "mlflow_io",
    "import_mlflow": "mlflow_io",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
