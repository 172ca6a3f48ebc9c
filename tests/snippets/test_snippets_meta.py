"""The metadata contract of every built-in snippet (summary, tags, requires, version, examples)."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata

import pytest

from ._library import IMPORT_NAMES, SNIPPETS_DIR, SnippetMeta, all_snippets

SNIPPETS = all_snippets()
IDS = [s.name for s in SNIPPETS]
TOPICS = {"plotting", "preprocessing", "torch", "cv", "sklearn", "evaluation", "utils"}


def imported_top_levels(snippet: SnippetMeta) -> set[str]:
    """Top-level modules imported by the code and by the examples of ``snippet``."""
    source = snippet.path.read_text(encoding="utf-8")
    example_lines = re.findall(r"^\s*(?:>>>|\.\.\.) ?(.*)$", snippet.docstring, re.MULTILINE)
    names: set[str] = set()
    for code in (source, "\n".join(example_lines)):
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                names.update(a.name.partition(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.partition(".")[0])
    return names - set(sys.stdlib_module_names) - {"__future__"}


def test_topics_and_counts() -> None:
    by_topic: dict[str, int] = {}
    for s in SNIPPETS:
        by_topic[s.name.split("/")[0]] = by_topic.get(s.name.split("/")[0], 0) + 1
    assert set(by_topic) == TOPICS, by_topic
    assert all(n >= 3 for n in by_topic.values()), by_topic
    assert sum(by_topic.values()) >= 40


@pytest.mark.parametrize("snippet", SNIPPETS, ids=IDS)
def test_metadata(snippet: SnippetMeta) -> None:
    assert snippet.summary, f"{snippet.path}: empty summary line"
    assert snippet.summary.endswith("."), f"{snippet.path}: summary should end with a period"
    assert len(snippet.summary) <= 100
    assert snippet.tags, f"{snippet.path}: no tags"
    assert snippet.tags[0] == snippet.name.split("/")[0], "first tag is the topic"
    assert re.fullmatch(r"[1-9][0-9]*", snippet.version), f"{snippet.path}: version not an int"
    assert "<missing>" not in snippet.requires, f"{snippet.path}: no 'requires:' line"
    for dist in snippet.requires:
        assert dist in IMPORT_NAMES, f"{snippet.path}: unknown requirement {dist!r}"
    assert re.fullmatch(r"[a-z0-9_]+/[a-z0-9_]+", snippet.name)


@pytest.mark.parametrize("snippet", SNIPPETS, ids=IDS)
def test_requires_matches_imports(snippet: SnippetMeta) -> None:
    """Every third-party import is declared, and every declared package is used."""
    used = imported_top_levels(snippet)
    declared = set(snippet.import_names)
    assert used - declared == set(), f"{snippet.name}: undeclared imports {used - declared}"
    unused = [d for d in snippet.requires if not set(IMPORT_NAMES[d]) & used]
    assert not unused, f"{snippet.name}: declared but never imported: {unused}"
    assert "toolkit" not in used


@pytest.mark.parametrize("snippet", SNIPPETS, ids=IDS)
def test_has_examples_and_is_self_contained(snippet: SnippetMeta) -> None:
    assert ">>>" in snippet.docstring.split("Example", 1)[-1], f"{snippet.name}: no example"
    text = snippet.path.read_text(encoding="utf-8")
    assert "plt.show()" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_declared_distributions_are_installed_in_the_dev_env() -> None:
    for dist in {d for s in SNIPPETS for d in s.requires}:
        assert metadata.version(dist)


def test_engine_parser_agrees() -> None:
    """The engine reads the same summary/tags/requires/version as this contract."""
    model = pytest.importorskip("toolkit.snippets.model")
    for s in SNIPPETS:
        parsed = model.parse_snippet_text(s.path.read_text(encoding="utf-8"), s.name)
        assert parsed.summary == s.summary
        assert parsed.tags == s.tags
        assert parsed.requires == s.requires
        assert parsed.version == int(s.version)


def test_snippets_dir_exists() -> None:
    assert SNIPPETS_DIR.is_dir()


def test_readme_catalogue_lists_every_snippet() -> None:
    readme = (SNIPPETS_DIR / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SNIPPETS if f"`{s.name}`" not in readme]
    assert not missing, f"add these to the catalogue in snippets/README.md: {missing}"
