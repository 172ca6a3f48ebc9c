"""Hostile answers: every file of the ml-project template, rendered with them, still parses.

Property test (hypothesis, 40 generated examples per run): free-text answers (project name,
description, author) drawn from all of Unicode but surrogates - quotes, backslashes, newlines,
tabs, control characters, Jinja and Markdown syntax - and every choice variable. Each rendered
file is parsed by its own parser (tomllib, ast, yaml, json, mistune for Markdown) and the
answer read back must be the answer given (TOML exactly; one line in Python, Markdown, LICENSE).
The fixed cases are the ones from the issue.
"""

from __future__ import annotations

import ast
import html
import html.parser
import json
import sys
from pathlib import Path
from typing import Any

import mistune
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.scaffold.snapshot import Snapshot, render_snapshot, template_context

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "ml-project"
CHOICES = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def one_line(text: str) -> str:
    return " ".join(text.split())


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: dict[str, list[str]] = {}
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"h1", "p"}:
            self._tag = tag
            self.blocks.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._tag:
            self._tag = ""

    def handle_data(self, data: str) -> None:
        if self._tag:
            self.blocks[self._tag][-1] += data


def markdown_blocks(text: str) -> dict[str, list[str]]:
    parser = _Text()
    parser.feed(str(mistune.html(text)))
    return parser.blocks


def render(answers: dict[str, str], *, hooks: bool) -> Snapshot:
    context = template_context(TEMPLATE, answers, user_defaults=False)
    snapshot, _root = render_snapshot(TEMPLATE, context, hooks=hooks)
    return snapshot


def check_every_file(snapshot: Snapshot, answers: dict[str, str]) -> None:
    """Parse each file by type; read the answers back where they land."""
    for path, entry in snapshot.files.items():
        text = entry.data.decode("utf-8")  # every file is UTF-8 text
        name = Path(path).name
        if name.endswith(".toml"):
            parsed = tomllib.loads(text)
            if name == "pyproject.toml":
                assert parsed["project"]["description"] == answers["description"]
                assert parsed["project"]["authors"][0]["name"] == answers["author"]
        elif name.endswith(".py"):
            module = ast.parse(text, filename=path)
            if path.endswith(f"{answers['package_name']}/__init__.py"):
                assert ast.get_docstring(module, clean=False) == one_line(answers["description"])
        elif name.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
        elif name.endswith((".json", ".ipynb")):
            json.loads(text)
        elif path == "README.md":
            blocks = markdown_blocks(text)
            assert blocks["h1"][0].strip() == one_line(answers["project_name"]), text[:300]
            if one_line(answers["description"]):
                assert one_line(answers["description"]) in blocks["p"], text[:300]
        elif name == "LICENSE" and answers["author"].strip() and answers["license"] != "none":
            assert one_line(answers["author"]) in text


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    project_name=TEXT,
    description=TEXT,
    author=TEXT,
    choices=st.fixed_dictionaries(
        {key: st.sampled_from(value) for key, value in CHOICES.items() if isinstance(value, list)
         and not key.startswith("_")}
    ),
)  # fmt: skip
def test_hostile_answers_render_files_that_parse(
    project_name: str, description: str, author: str, choices: dict[str, str]
) -> None:
    answers = {
        "project_name": project_name,
        "project_slug": "hostile",
        "package_name": "hostile",
        "description": description,
        "author": author,
        **choices,
    }
    # Without the hooks every file of the template is rendered (none removed by an option).
    check_every_file(render(answers, hooks=False), answers)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("author", 'Jane "JJ" Doe'),
        ("author", "C:\\Users\\me"),
        ("description", 'Predicts "churn"'),
        ("description", "two\nlines\tand a tab"),
        ("description", "{{ cookiecutter.__class__.__mro__ }}"),
        ("description", "{% if %}"),
        ("description", 'ends with a quote"'),
        ("description", "ends with a backslash\\"),
        ("project_name", "# not a heading *nor bold*"),
        ("project_name", "0 #"),  # a trailing " #" would close the heading
    ],
)
def test_issue_cases_parse(key: str, value: str) -> None:
    answers = {
        "project_name": "Churn",
        "project_slug": "churn",
        "package_name": "churn",
        "description": "A project.",
        "author": "Jane",
    }
    answers[key] = value
    full = {**answers, **{k: v[0] for k, v in CHOICES.items() if isinstance(v, list)}}
    check_every_file(render(answers, hooks=True), full)
