"""Project and package names: derivation, refusal with a reason, and a usable suggestion."""

from __future__ import annotations

import pytest

from toolkit.errors import UsageError
from toolkit.scaffold.names import (
    derive_names,
    package_name_problem,
    suggest_package_name,
    validate_project_name,
)


@pytest.mark.parametrize(
    ("name", "slug", "package"),
    [
        ("My ML Project", "my-ml-project", "my_ml_project"),
        ("  churn__model v2 ", "churn-model-v2", "churn_model_v2"),
        ("中文 项目", "zhong-wen-xiang-mu", "zhong_wen_xiang_mu"),
    ],
)
def test_derive_names(name: str, slug: str, package: str) -> None:
    assert derive_names(name) == (slug, package)


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        ("", "empty"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("json", "standard-library"),
        ("test", "widely used"),
        ("numpy", "widely used"),
        ("3d_vision", "identifier"),
        ("Bad-Name", "identifier"),
    ],
)
def test_bad_package_names_have_a_reason(package: str, reason: str) -> None:
    problem = package_name_problem(package)
    assert problem is not None and reason in problem


@pytest.mark.parametrize("package", ["json", "3d_vision", "", "class", "!!!"])
def test_suggestions_are_usable(package: str) -> None:
    assert package_name_problem(suggest_package_name(package)) is None


@pytest.mark.parametrize("name", ["json", "!!!", "class", "3D vision", "   "])
def test_validate_refuses_with_suggestion(name: str) -> None:
    with pytest.raises(UsageError, match="try package_name="):
        validate_project_name(name)


def test_validate_accepts_explicit_package() -> None:
    assert validate_project_name("json", "json_tools") == ("json", "json_tools")
