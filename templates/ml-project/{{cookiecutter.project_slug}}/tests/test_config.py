from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import DEFAULT_CONFIG, Config


def test_default_config_file_matches_dataclass() -> None:
    assert Config.from_toml(DEFAULT_CONFIG) == Config()


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("test_sise = 0.3\n")
    with pytest.raises(ValueError, match="test_sise"):
        Config.from_toml(bad)
