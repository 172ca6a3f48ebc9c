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

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "default.toml"


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
    def from_toml(cls, path: str | Path = DEFAULT_CONFIG) -> Config:
        """Load a config file; unknown keys are an error (a typo must not pass silently)."""
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        unknown = set(data) - {field.name for field in fields(cls)}
        if unknown:
            raise ValueError(f"{path}: unknown config keys: {', '.join(sorted(unknown))}")
        return cls(**data)
