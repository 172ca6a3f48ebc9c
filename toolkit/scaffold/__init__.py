"""Project scaffolding: ``toolkit new`` on top of cookiecutter.

Example:
    >>> from toolkit.scaffold import package_name_problem
    >>> package_name_problem("json")
    'it would shadow the standard-library module of the same name'
"""

from __future__ import annotations

from toolkit.scaffold.names import derive_names, package_name_problem, validate_project_name
from toolkit.scaffold.render import create_project
from toolkit.scaffold.templates import TemplateInfo, find_template, list_templates

__all__ = [
    "TemplateInfo",
    "create_project",
    "derive_names",
    "find_template",
    "list_templates",
    "package_name_problem",
    "validate_project_name",
]
