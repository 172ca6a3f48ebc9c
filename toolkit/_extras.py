"""Which extra provides which optional dependency, so a missing one is named in one line.

The core install is what the pre-commit hooks need (pre-commit installs it for every
repository that uses them); everything heavier is an extra in ``pyproject.toml``. A command
that imports a module from a missing extra ends with this line and exit 2, not a traceback.

Example:
    >>> missing_extra_message(ModuleNotFoundError(name="cookiecutter"))
    'this command needs cookiecutter, from an extra: pip install "compound-toolkit[new]"'
    >>> missing_extra_message(ModuleNotFoundError(name="no_such_module")) is None
    True
"""

from __future__ import annotations

# Top-level import name -> the extra (in pyproject.toml) that installs it.
EXTRA_OF_MODULE = {
    "cookiecutter": "new",
    "pre_commit": "new",
    "nbformat": "report",
    "nbconvert": "report",
    "nbclient": "report",
    "ipykernel": "report",
    "jupyter_client": "report",
    "jinja2": "all",  # HTML pages: the health report ([data]) and notebook reports ([report])
    "rich": "all",
    "matplotlib": "plot",
    "seaborn": "plot",
    "pandas": "data",
    "numpy": "data",
    "sklearn": "data",
    "scipy": "data",
    "polars": "data",
    "narwhals": "data",
    "pyarrow": "data",
    "duckdb": "data",
    "pyspark": "spark",
    "mlflow": "mlflow",
}


def missing_extra_message(exc: ModuleNotFoundError) -> str | None:
    """One line naming the extra to install for ``exc``'s module; ``None`` when the module
    belongs to no extra (a real bug, which should keep its traceback)."""
    top = (exc.name or "").partition(".")[0]
    extra = EXTRA_OF_MODULE.get(top)
    if extra is None:
        return None
    return f'this command needs {top}, from an extra: pip install "compound-toolkit[{extra}]"'
