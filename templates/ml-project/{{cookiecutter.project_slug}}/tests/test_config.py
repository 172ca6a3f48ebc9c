from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import Config, default_config_path, project_root


def test_default_config_file_matches_dataclass() -> None:
    assert Config.from_toml() == Config.from_toml(default_config_path()) == Config()


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("test_sise = 0.3\n")
    with pytest.raises(ValueError, match="test_sise"):
        Config.from_toml(bad)


def test_project_root_is_found_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_root()
    assert (root / "pyproject.toml").is_file()
    monkeypatch.chdir(root / "configs")
    assert project_root() == root
