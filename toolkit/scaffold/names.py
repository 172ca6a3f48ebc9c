"""Deriving and validating project, directory and package names.

The rules match the template's ``pre_gen_project`` hook, so ``toolkit new`` refuses a bad name
before cookiecutter writes anything, and says which name would work instead.

Example:
    >>> derive_names("My ML Project")
    ('my-ml-project', 'my_ml_project')
    >>> derive_names("中文 项目")
    ('zhong-wen-xiang-mu', 'zhong_wen_xiang_mu')
"""

from __future__ import annotations

import keyword
import re
import sys

from toolkit.errors import UsageError

# Packages nearly every ML project imports: a project package with one of these names shadows it.
RESERVED = frozenset(
    {
        "numpy",
        "pandas",
        "torch",
        "sklearn",
        "matplotlib",
        "scipy",
        "src",
        "test",
        "tests",
        "toolkit",
    }
)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def derive_names(project_name: str) -> tuple[str, str]:
    """Return ``(slug, package)`` for a project name, as the template derives them.

    The slug uses python-slugify (as cookiecutter's ``slugify`` filter does): lower case, dashes,
    CJK transliterated; the package is the slug with dashes as underscores.
    """
    from slugify import slugify

    slug = slugify(project_name)
    return slug, slug.replace("-", "_")


def package_name_problem(package: str) -> str | None:
    """Why ``package`` cannot be the project's import name, or ``None`` when it can."""
    if not package:
        return "it is empty (the project name has no letters or digits)"
    if not _IDENTIFIER.fullmatch(package):
        return "it is not a valid lower-case Python identifier"
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        return "it is a Python keyword"
    if package in sys.stdlib_module_names:
        return "it would shadow the standard-library module of the same name"
    if package in RESERVED:
        return "it would shadow a widely used module (numpy, pandas, torch, test, …)"
    return None


def suggest_package_name(package: str) -> str:
    """A usable name close to ``package``: ``json`` -> ``json_project``, ``3d`` -> ``project_3d``.

    Example:
        >>> suggest_package_name("json")
        'json_project'
    """
    cleaned = re.sub(r"[^a-z0-9_]+", "_", package.lower()).strip("_")
    if not cleaned:
        return "my_project"
    candidate = f"project_{cleaned}" if cleaned[0].isdigit() else cleaned
    if package_name_problem(candidate) is not None:
        candidate = f"{candidate}_project"
    return candidate


def validate_project_name(project_name: str, package: str | None = None) -> tuple[str, str]:
    """Return ``(slug, package)`` or raise :class:`UsageError` saying why and what would work."""
    slug, derived = derive_names(project_name)
    package = derived if package is None else package
    problem = package_name_problem(package)
    if problem is not None:
        suggestion = suggest_package_name(package)
        raise UsageError(
            f"project name {project_name!r} gives package name {package!r}, which is not usable: "
            f"{problem}; try package_name={suggestion} or a different project_name"
        )
    return slug, package
