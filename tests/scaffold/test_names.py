"""Project and package names: derivation, refusal with a reason, and a usable suggestion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import UsageError
from toolkit.scaffold.names import (
    derive_names,
    package_name_problem,
    project_slug_problem,
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


@pytest.mark.parametrize("name", ["json", "class", "3D vision"])
def test_validate_refuses_with_suggestion(name: str) -> None:
    with pytest.raises(UsageError, match="try package_name="):
        validate_project_name(name)


@pytest.mark.parametrize("name", ["!!!", "   "])
def test_a_name_without_letters_is_blamed_on_the_project_name(name: str) -> None:
    with pytest.raises(UsageError, match=r"^project_name=.*no letters or digits"):
        validate_project_name(name)


@pytest.mark.parametrize("slug", ["Bad_Slug", "-x", "a b", ""])
def test_a_bad_slug_is_blamed_on_the_slug_with_a_usable_suggestion(slug: str) -> None:
    with pytest.raises(UsageError) as caught:
        validate_project_name("Good name", slug=slug)
    message = str(caught.value)
    assert message.startswith(f"project_slug={slug!r} is not usable")
    assert "package name" not in message
    suggestion = message.rsplit("try project_slug=", 1)[1]
    assert project_slug_problem(suggestion) is None


def test_the_package_follows_a_given_slug() -> None:
    assert validate_project_name("Good name", slug="churn-v2") == ("churn-v2", "churn_v2")
    with pytest.raises(UsageError, match=r"^project_slug='json' gives package name 'json'"):
        validate_project_name("Good name", slug="json")
    with pytest.raises(UsageError, match=r"^package_name='json' is not usable"):
        validate_project_name("Good name", "json")


def test_validate_accepts_explicit_package() -> None:
    assert validate_project_name("json", "json_tools") == ("json", "json_tools")


def test_the_template_hook_refuses_what_toolkit_new_refuses(repo_root: Path) -> None:
    """The template's pre_gen_project hook copies the rule (it runs where the toolkit may not
    be installed): same reserved names, same reason for every name."""
    from toolkit.scaffold import names

    hook = repo_root / "templates" / "ml-project" / "hooks" / "pre_gen_project.py"
    source = hook.read_text(encoding="utf-8")
    source = source.replace("{{ cookiecutter.package_name }}", "ok_name")
    source = source.replace("{{ cookiecutter.project_slug }}", "ok-name")
    namespace: dict[str, Any] = {"__name__": "pre_gen_project"}
    exec(compile(source, str(hook), "exec"), namespace)
    assert set(namespace["RESERVED"]) == set(names.RESERVED)
    for name in ["", "json", "class", "match", "numpy", "tests", "3d", "My_pkg", "数据", "ok_name"]:
        assert namespace["problem"](name) == names.package_name_problem(name), name
