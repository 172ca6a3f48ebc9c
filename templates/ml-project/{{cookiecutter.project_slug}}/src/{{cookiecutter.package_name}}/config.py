"""Run configuration: one frozen dataclass, loaded from a TOML file in ``configs/``."""

from __future__ import annotations

{% if cookiecutter.python_version == "3.10" -%}
import sys
from dataclasses import dataclass, fields
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib
{%- else -%}
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
{%- endif %}


def project_root(start: str | Path | None = None) -> Path:
    """The project directory: the nearest folder at or above ``start`` (default: the working
    directory) that holds ``pyproject.toml`` and ``configs/``.

    Found from where you run, not from this file's location, so paths stay right after
    ``pip install .`` (the installed package has no project folder around it). Outside any
    project folder, it is the working directory itself.
    """
    here = Path.cwd() if start is None else Path(start)
    here = here.resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "configs").is_dir():
            return folder
    return here


def default_config_path() -> Path:
    """``configs/default.toml`` of the project this runs in."""
    return project_root() / "configs" / "default.toml"


@dataclass(frozen=True)
class Config:
    """Everything a run depends on; change it in ``configs/*.toml``, not in code."""

    test_size: float = 0.25
    random_state: int = 0
{%- if cookiecutter.ml_framework == "scikit-learn" %}
    regularization_c: float = 1.0
{%- elif cookiecutter.ml_framework == "PyTorch" %}
    epochs: int = 60
    learning_rate: float = 0.01
    hidden_size: int = 32
{%- endif %}

    @classmethod
    def from_toml(cls, path: str | Path | None = None) -> Config:
        """Load a config file (default: ``configs/default.toml``); unknown keys are an error,
        so a typo cannot pass silently."""
        path = default_config_path() if path is None else Path(path)
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        unknown = set(data) - {field.name for field in fields(cls)}
        if unknown:
            raise ValueError(f"{path}: unknown config keys: {', '.join(sorted(unknown))}")
        return cls(**data)
