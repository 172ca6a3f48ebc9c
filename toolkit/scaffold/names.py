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
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


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


def project_slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot be the project's directory/distribution name, or ``None``.

    Example:
        >>> project_slug_problem("Churn_Model")
        'it must be lower-case letters, digits and dashes, starting with a letter or digit'
    """
    if not slug:
        return "it is empty (the project name has no letters or digits)"
    if not _SLUG.fullmatch(slug):
        return "it must be lower-case letters, digits and dashes, starting with a letter or digit"
    return None


def validate_project_name(
    project_name: str, package: str | None = None, *, slug: str | None = None
) -> tuple[str, str]:
    """Return ``(slug, package)`` or raise :class:`UsageError` saying why and what would work.

    ``slug`` and ``package`` default to what the template derives: the slug from the project
    name, the package from the slug. The message blames the answer that was given.
    """
    derived_slug, _ = derive_names(project_name)
    if slug is None:
        slug = derived_slug
        problem = project_slug_problem(slug)
        if problem is not None:
            raise UsageError(f"project_name={project_name!r} is not usable: {problem}")
    else:
        problem = project_slug_problem(slug)
        if problem is not None:
            suggestion = derive_names(slug)[0] or derived_slug or "my-project"
            raise UsageError(
                f"project_slug={slug!r} is not usable: {problem}; try project_slug={suggestion}"
            )
    given_slug = slug != derived_slug
    problem = package_name_problem(package if package is not None else slug.replace("-", "_"))
    if problem is not None:
        if package is not None:
            raise UsageError(
                f"package_name={package!r} is not usable: {problem}; "
                f"try package_name={suggest_package_name(package)}"
            )
        package = slug.replace("-", "_")
        answer, other = (
            (f"project_slug={slug!r}", "project_slug")
            if given_slug
            else (f"project name {project_name!r}", "project_name")
        )
        raise UsageError(
            f"{answer} gives package name {package!r}, which is not usable: {problem}; "
            f"try package_name={suggest_package_name(package)} or a different {other}"
        )
    package = package if package is not None else slug.replace("-", "_")
    return slug, package
