"""Parsing snippet files, names, the library index, shadowing, malformed files and the cache."""

from __future__ import annotations

import doctest
import importlib
import os
from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.snippets.library import Library, load_library
from toolkit.snippets.model import MalformedSnippetError, parse_snippet_text, validate_name

MODULES = [
    "model", "config", "library", "search", "stamp", "receipts", "insert", "status",
    "diff", "merge", "update", "extract", "personal", "harvest",
]  # fmt: skip


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str, env: dict[str, Path]) -> None:
    mod = importlib.import_module(f"toolkit.snippets.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_parse_metadata_exactly() -> None:
    text = (
        '"""Non-maximum suppression for boxes in NumPy.\n\nLonger words here.\n\n'
        "tags: cv, detection, boxes\nrequires: numpy, scikit-learn\nversion: 3\n\n"
        'Example:\n    >>> 1\n    1\n"""\nx = 1\n'
    )
    s = parse_snippet_text(text, "cv/nms")
    assert s.summary == "Non-maximum suppression for boxes in NumPy."
    assert s.tags == ("cv", "detection", "boxes")
    assert s.requires == ("numpy", "scikit-learn")
    assert s.version == 3
    assert s.description == "Longer words here."
    assert s.topic == "cv"


@pytest.mark.parametrize("requires", ["", "none", "None"])
def test_requires_empty_means_stdlib(requires: str) -> None:
    s = parse_snippet_text(f'"""S.\n\nrequires: {requires}\n"""\n', "a/b")
    assert s.requires == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = 1\n", "no module docstring"),
        ('"""S.\n\nversion: two\n"""\n', "not an integer"),
        ('"""S.\n\nversion: 0\n"""\n', ">= 1"),
        ('"""S."""\ndef f(:\n', "syntax error"),
        ('"""\n\n"""\n', "no module docstring"),
    ],
)
def test_malformed_snippets_are_rejected(text: str, message: str) -> None:
    with pytest.raises(MalformedSnippetError, match=message):
        parse_snippet_text(text, "a/b")


@pytest.mark.parametrize(
    "name", ["../etc/passwd", "/abs/path", "cv/../x", "a\\b", "", "cv//nms", "./x", "a/ b"]
)
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError):
        validate_name(name)


def test_valid_names() -> None:
    assert validate_name("cv/nms") == "cv/nms"
    assert validate_name("utils/disk-cache.py") == "utils/disk-cache"


def test_personal_shadows_builtin_and_malformed_is_skipped(env, write_snippet) -> None:
    write_snippet(env["builtin"], "cv/nms", "Built-in NMS.", "x = 1\n")
    write_snippet(env["builtin"], "cv/iou", "IoU.", "y = 2\n")
    write_snippet(env["personal"], "cv/nms", "My NMS.", "x = 2\n", version=4)
    bad = env["builtin"] / "cv" / "broken.py"
    bad.write_text("def oops(:\n")
    (env["builtin"] / "README.md").write_text("# not a snippet\n")
    lib = load_library()
    assert sorted(lib.snippets) == ["cv/iou", "cv/nms"]
    nms = lib.get("cv/nms")
    assert nms.summary == "My NMS." and nms.origin == "personal" and nms.version == 4
    assert len(nms.shadows) == 1 and "built-in" in nms.shadows[0]
    assert len(lib.malformed) == 1 and str(bad) in lib.malformed[0]


def test_unknown_name_suggests(env, write_snippet) -> None:
    write_snippet(env["builtin"], "cv/nms", "NMS.", "x = 1\n")
    write_snippet(env["builtin"], "torch/seed_everything", "Seed.", "x = 1\n")
    lib = load_library()
    with pytest.raises(UsageError, match="did you mean cv/nms"):
        lib.get("cv/nsm")
    with pytest.raises(UsageError, match="torch/seed_everything"):
        lib.get("seed_everything")


def test_config_file_paths_and_env_order(env, write_snippet, monkeypatch) -> None:
    other = env["tmp"] / "other"
    write_snippet(other, "a/x", "From config.", "x = 1\n")
    write_snippet(env["personal"], "a/x", "From env.", "x = 1\n")
    cfg = env["tmp"] / "config" / "compound-toolkit" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(f"snippet_paths = [{str(other)!r}]\n")
    assert load_library().get("a/x").summary == "From env."
    monkeypatch.delenv("TOOLKIT_SNIPPET_PATH")
    assert load_library().get("a/x").summary == "From config."


def test_bad_config_file_is_named(env) -> None:
    cfg = env["tmp"] / "config" / "compound-toolkit" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text("snippet_paths = [\n")
    from toolkit.errors import ToolkitError

    with pytest.raises(ToolkitError, match=r"config\.toml"):
        load_library()


def test_cache_sees_edits(env, write_snippet) -> None:
    path = write_snippet(env["builtin"], "a/x", "First.", "x = 1\n")
    assert load_library().get("a/x").summary == "First."
    assert load_library().get("a/x").summary == "First."  # from cache
    path.write_text(path.read_text().replace("First.", "Second, longer."))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert load_library().get("a/x").summary == "Second, longer."
    path.write_text("broken(\n")
    assert "a/x" not in load_library()


def test_builtin_library_loads_cleanly(repo_root: Path) -> None:
    lib = Library.from_roots([(repo_root / "snippets", "built-in")], use_cache=False)
    assert lib.malformed == []
    assert len(lib) >= 40 and all(s.summary for s in lib)
