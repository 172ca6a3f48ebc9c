"""`toolkit reuse scan` as a user runs it: projects with planted copies, the library, bad files."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _helpers import git, toolkit_cli

from toolkit.reuse import scan
from toolkit.reuse.index import Cache, build_index
from toolkit.reuse.sources import discover
from toolkit.snippets.library import Library

FEATURES = '''
def add_calendar_features(frame, column):
    """Year, month, weekday and hour of a timestamp column."""
    stamp = frame[column]
    frame[column + "_year"] = stamp.dt.year
    frame[column + "_month"] = stamp.dt.month
    frame[column + "_weekday"] = stamp.dt.weekday
    frame[column + "_hour"] = stamp.dt.hour
    frame[column + "_is_weekend"] = stamp.dt.weekday >= 5
    return frame.drop(columns=[column])
'''

# The same function with every name changed and one literal changed (type-2).
FEATURES_RENAMED = '''
def calendar_parts(df, col):
    """Split a timestamp into parts."""
    ts = df[col]
    df[col + "_y"] = ts.dt.year
    df[col + "_m"] = ts.dt.month
    df[col + "_wd"] = ts.dt.weekday
    df[col + "_h"] = ts.dt.hour
    df[col + "_weekend"] = ts.dt.weekday >= 6
    return df.drop(columns=[col])
'''

# A line added in the middle (type-3).
FEATURES_NEAR = FEATURES.replace(
    '    frame[column + "_hour"] = stamp.dt.hour\n',
    '    frame[column + "_hour"] = stamp.dt.hour\n    assert not frame.empty, column\n',
)

TRAIN = """
def train_one_epoch(model, loader, optimiser, loss_fn, device):
    model.train()
    total, count = 0.0, 0
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimiser.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimiser.step()
        total += loss.item() * len(targets)
        count += len(targets)
    return total / max(count, 1)
"""


def _project(root: Path, name: str, files: dict[str, str]) -> Path:
    project = root / name
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n')
    for rel, text in files.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project


def _notebook(cells: list[str]) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": 1,
                    "id": f"c{i}",
                    "metadata": {},
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}],
                    "source": src.splitlines(keepends=True),
                }
                for i, src in enumerate(cells)
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def _members(cls) -> set[tuple[str, str]]:
    return {(m.unit.file.project, Path(m.unit.file.relpath).name) for m in cls.members}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    _project(tmp_path, "churn", {"src/churn/features.py": FEATURES, "src/churn/train.py": TRAIN})
    _project(
        tmp_path,
        "fraud",
        {"fraud/prep.py": "import pandas as pd\n" + FEATURES_RENAMED, "fraud/loop.py": TRAIN},
    )
    _project(
        tmp_path,
        "ads",
        {"ads/feat.py": FEATURES_NEAR, "explore.ipynb": _notebook(["import torch\n", TRAIN])},
    )
    return tmp_path


def test_planted_copies_form_classes_across_projects_and_notebooks(workspace: Path) -> None:
    report = scan([workspace], cache_path=None, library=Library())
    by_members = {frozenset(_members(c)): c for c in report.classes}
    features = by_members[
        frozenset({("churn", "features.py"), ("fraud", "prep.py"), ("ads", "feat.py")})
    ]
    assert (
        features.kind == "near-miss"
    )  # renamed + a line added: the class is as weak as its worst link
    assert 0.7 <= features.similarity < 1
    train = by_members[
        frozenset({("churn", "train.py"), ("fraud", "loop.py"), ("ads", "explore.ipynb")})
    ]
    assert train.kind == "exact" and train.similarity == 1.0
    nb_member = next(m for m in train.members if m.unit.file.relpath.endswith(".ipynb"))
    assert nb_member.unit.cell == 1 and nb_member.first_line == 2
    assert len(report.classes) == 2, [_members(c) for c in report.classes]
    # Three projects, promoted nowhere: the advice names the command that would promote it.
    advice = report.advice[report.classes.index(train)]
    assert any("toolkit snippet new" in a and ":train_one_epoch" in a for a in advice), advice
    assert report.overall.could_save == sum(c.saved for c in report.classes)


def test_kinds_exact_renamed(tmp_path: Path) -> None:
    _project(tmp_path, "a", {"m.py": FEATURES})
    _project(tmp_path, "b", {"m.py": "# a comment\n" + FEATURES.replace("    ", "  ")})
    _project(tmp_path, "c", {"m.py": FEATURES_RENAMED})
    report = scan([tmp_path / "a", tmp_path / "b"], cache_path=None, library=Library())
    assert [c.kind for c in report.classes] == ["exact"]  # comments and indentation don't count
    report = scan([tmp_path / "a", tmp_path / "c"], cache_path=None, library=Library())
    assert [c.kind for c in report.classes] == ["renamed"]


def _library(tmp_path: Path) -> Library:
    lib_root = tmp_path / "lib"
    (lib_root / "features").mkdir(parents=True)
    (lib_root / "features" / "calendar.py").write_text(
        '"""Calendar features of a timestamp column.\n\ntags: pandas\nrequires: pandas\n"""\n'
        + FEATURES
    )
    return Library.from_roots([(lib_root, "personal")], use_cache=False)


def test_library_links_stamped_and_unstamped_copies(tmp_path: Path) -> None:
    from toolkit.snippets.insert import add_snippet

    library = _library(tmp_path)
    stamped = _project(tmp_path / "work", "churn", {})
    add_snippet(library.get("features/calendar"), to=stamped / "src")
    _project(tmp_path / "work", "fraud", {"prep.py": FEATURES_RENAMED})
    report = scan([tmp_path / "work"], cache_path=None, library=library)
    assert len(report.classes) == 1
    cls = report.classes[0]
    advice = report.advice[0]
    assert advice == [
        f"copy of features/calendar without provenance: `toolkit snippet adopt "
        f"{(tmp_path / 'work' / 'fraud' / 'prep.py').resolve()} --name features/calendar`"
    ]
    assert report.projects["churn"].copies == {"untouched": 1}
    assert report.projects["churn"].library_lines == 8
    assert report.projects["fraud"].repeated_lines == 0  # it is the library's code already
    fraud_copy = next(m for m in cls.members if m.unit.file.project == "fraud")
    assert report.projects["fraud"].matched_lines == fraud_copy.lines  # a copy, no provenance
    assert sorted(m.unit.file.project for m in cls.members) == [
        "(snippet library)",
        "churn",
        "fraud",
    ]


def _age(root: Path, seconds: float = 3600) -> None:
    """Date every file back, as if written an hour ago (fresh files are re-read: racy rule)."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def test_rescan_reads_only_what_changed(tmp_path: Path, workspace: Path) -> None:
    cache_file = tmp_path / "cache.pickle"
    _age(workspace)
    first = build_index(discover([workspace]), cache := Cache(cache_file))
    cache.save()
    assert first.normalised == first.files == first.read == 6
    second = build_index(discover([workspace]), cache := Cache(cache_file))
    assert (second.read, second.normalised, cache.dirty) == (0, 0, False)
    edited = workspace / "churn" / "src" / "churn" / "train.py"
    edited.write_text(TRAIN + "\nx = 1\n")
    _age(edited, 1800)
    third = build_index(discover([workspace]), cache := Cache(cache_file))
    cache.save()
    assert (third.read, third.normalised) == (1, 1)
    assert [u.numbers for u in second.units] != [u.numbers for u in third.units]
    _age(edited, 900)  # touched, not changed: read and hashed, not normalised again
    touched = build_index(discover([workspace]), cache := Cache(cache_file))
    cache.save()
    assert (touched.read, touched.normalised) == (1, 0)
    assert touched.digests == third.digests
    # Written just now: a same-size edit in the same clock tick would keep the signature, so
    # the file is read again on the next scan too (but its content is known: not normalised).
    edited.write_text(TRAIN + "\nx = 2\n")
    fresh = build_index(discover([workspace]), cache := Cache(cache_file))
    cache.save()
    again = build_index(discover([workspace]), Cache(cache_file))
    assert (fresh.read, fresh.normalised, again.read, again.normalised) == (1, 1, 1, 0)


def _classes(report) -> list[tuple[str, list[tuple[str, int, int]]]]:
    return [
        (c.kind, sorted((m.unit.file.relpath, m.first_line, m.last_line) for m in c.members))
        for c in report.classes
    ]


def _rename(root: Path) -> None:
    (root / "fraud" / "fraud" / "loop.py").rename(root / "fraud" / "fraud" / "epoch.py")


def _delete(root: Path) -> None:
    (root / "fraud" / "fraud" / "loop.py").unlink()


def _edit(root: Path) -> None:
    path = root / "fraud" / "fraud" / "loop.py"
    path.write_text(TRAIN.replace("model.train()", "model.eval()"))


@pytest.mark.parametrize(
    "change",
    [_edit, _delete, _rename, "min_lines", "library"],
    ids=["edited", "deleted", "renamed", "options", "library"],
)
def test_clone_search_cache_invalidation(
    tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch, change: object
) -> None:
    """The stored search is reused only for the same files, contents, options and library."""
    import toolkit.reuse.scanner as scanner

    cache = tmp_path / "c" / "reuse-index.pickle"
    _age(workspace)
    library, min_lines = Library(), 6
    first = scan([workspace], cache_path=cache, library=library)
    searches: list[int] = []
    real = scanner.find_clones

    def counting(*args: object, **kwargs: object) -> object:
        searches.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scanner, "find_clones", counting)
    same = scan([workspace], cache_path=cache, library=library)
    assert not searches and _classes(same) == _classes(first)
    if change == "min_lines":
        min_lines = 8
    elif change == "library":
        library = _library(tmp_path)
    else:
        change(workspace)  # type: ignore[operator]
    after = scan([workspace], cache_path=cache, library=library, min_lines=min_lines)
    assert searches == [1]
    fresh = scan([workspace], cache_path=None, library=library, min_lines=min_lines)
    assert _classes(after) == _classes(fresh)
    if change in (_edit, _delete, _rename):
        assert _classes(after) != _classes(first)


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            h.update(str(path).encode() + path.read_bytes())
    return h.hexdigest()


def test_bad_files_are_skipped_and_counted_and_nothing_is_written(tmp_path: Path) -> None:
    root = _project(tmp_path, "p", {"good.py": TRAIN, "other.py": TRAIN})
    (root / "binary.py").write_bytes(b"\x00\x01\x02 not python")
    (root / "latin.py").write_bytes("x = 'Zürich'\n".encode("latin-1"))
    (root / "broken.ipynb").write_text("{not json")
    (root / "cells.ipynb").write_text('{"cells": "nope"}')
    (root / "loop").symlink_to(root)  # a folder loop
    (root / "dangling.py").symlink_to(root / "missing.py")
    os.mkfifo(root / "fifo.py")
    (root / "folder.py").mkdir()
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / ".venv" / "lib" / "copy.py").write_text(TRAIN)
    before = _tree_digest(root)
    report = scan([root], cache_path=None, library=Library())
    assert dict(report.index.skipped) == {
        "binary or not UTF-8": 2,
        "invalid notebook": 2,
        "symlink": 1,
        "not a regular file": 1,
    }
    assert report.index.files == 2 and len(report.classes) == 1
    assert _tree_digest(root) == before


def test_size_limit_and_gitignore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, "p", {"a.py": TRAIN, "b.py": TRAIN, "gen/c.py": TRAIN})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("gen/\n")
    monkeypatch.setattr("toolkit.reuse.sources.MAX_BYTES", len(TRAIN) - 1)
    (root / "small.py").write_text("x = 1\n")
    found = discover([root])
    assert [f.relpath for f in found.files] == ["small.py"]
    assert dict(found.skipped) == {"over 0 MiB": 2}


def _toolkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    cache = {"XDG_CACHE_HOME": str(cwd or Path.cwd()) + "/.cache-test"}
    return toolkit_cli(*args, cwd=cwd, env={**os.environ, **cache}, script=True)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]


def test_cli_json_html_and_usage_errors(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "reuse.html"
    done = _toolkit("reuse", "scan", str(workspace), "--json", "--html", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["files"] == 6 and len(payload["classes"]) == 2
    assert set(payload["projects"]) == {"ads", "churn", "fraud"}
    page = out.read_text()
    parser = _Links()
    parser.feed(page)
    assert any(h.endswith("/train.py") for h in parser.hrefs)
    assert "train_one_epoch" in page and "<script" not in page
    text = _toolkit("reuse", "scan", str(workspace), "--quiet", cwd=tmp_path)
    assert text.returncode == 0 and "clone classes" in text.stdout
    missing = _toolkit("reuse", "scan", str(tmp_path / "nope"), cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"toolkit: error: PATH {tmp_path / 'nope'}: no such file or directory"
    ]


def _commit(repo: Path, date: str, message: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    git("add", "-A", cwd=repo, env=env)
    git("commit", "-qm", message, cwd=repo, env=env)


def test_history_counts_month_by_month(tmp_path: Path) -> None:
    from toolkit.reuse.history import history
    from toolkit.reuse.provenance import library_units
    from toolkit.reuse.sources import Discovery

    library = _library(tmp_path)
    repo = _project(tmp_path, "mono", {"a.py": TRAIN})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _commit(repo, "2026-01-10T10:00:00", "start")
    (repo / "b.py").write_text(TRAIN)  # repeated work appears
    _commit(repo, "2026-02-03T10:00:00", "copy")
    (repo / "c.py").write_text(FEATURES)  # a copy of the library's snippet
    _commit(repo, "2026-02-20T10:00:00", "features")
    (repo / "b.py").unlink()
    _commit(repo, "2026-03-05T10:00:00", "dedupe")
    cache = Cache(None)
    files, _ = library_units(library)
    lib_units = build_index(Discovery(files=files), cache).units
    points = history(repo, lib_units, cache)
    assert [(p.month, p.library_lines, p.repeated_lines) for p in points] == [
        ("2026-01", 0, 0),
        ("2026-02", 8, 24),
        ("2026-03", 8, 0),
    ]
    ax = __import__("toolkit.reuse.history", fromlist=["plot_history"]).plot_history(points)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026-01", "2026-02", "2026-03"]


def test_adopt_journey_scan_adopt_status_rescan(tmp_path: Path) -> None:
    """The advice's command works as printed: after it the copy has provenance."""
    _library(tmp_path)  # writes tmp_path/lib/features/calendar.py
    env_home = tmp_path / "home"
    _project(tmp_path / "work", "churn", {"src/churn/features.py": "import pandas\n" + FEATURES})
    _project(tmp_path / "work", "fraud", {"prep.py": FEATURES_RENAMED})

    def toolkit(*args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "TOOLKIT_SNIPPET_PATH": str(tmp_path / "lib"),
            "XDG_CACHE_HOME": str(env_home / "cache"),
            "XDG_CONFIG_HOME": str(env_home),
        }
        return toolkit_cli(*args, cwd=tmp_path, env=env, script=True)

    first = json.loads(toolkit("reuse", "scan", str(tmp_path / "work"), "--json").stdout)
    [cls] = first["classes"]
    commands = [a.split("`")[1] for a in cls["advice"]]
    assert len(commands) == 2 and all(c.startswith("toolkit snippet adopt ") for c in commands)
    for command in commands:
        done = toolkit(*command.split()[1:])
        assert done.returncode == 0, done.stderr
        assert "adopted features/calendar v1" in done.stdout
    features = tmp_path / "work" / "churn" / "src" / "churn" / "features.py"
    compile(features.read_text(), str(features), "exec")  # still a valid module
    assert features.read_text().splitlines()[2].startswith("# >>> snippet features/calendar v1")
    status = toolkit("snippet", "status", str(tmp_path / "work"), "--json")
    states = sorted(c["state"] for c in json.loads(status.stdout))
    assert states == ["modified", "modified"], status.stdout  # docstring/imports/renames differ
    again = json.loads(toolkit("reuse", "scan", str(tmp_path / "work"), "--json").stdout)
    assert again["classes"][0]["advice"] == []
    assert again["overall"]["copies"] == {"modified": 2}
    stamped = features.read_bytes()
    refused = toolkit("snippet", "adopt", str(features), "--name", "features/calendar")
    assert refused.returncode == 2 and "already stamped" in refused.stderr  # bad input
    assert len(refused.stderr.strip().splitlines()) == 1 and features.read_bytes() == stamped


def test_two_processes_give_the_same_index(
    tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parallel path (many new files, an idle core) stores exactly what one process does."""
    import toolkit.reuse.index as index_module

    single = build_index(discover([workspace]), Cache(None))
    monkeypatch.setattr(index_module, "_workers", lambda jobs: 2)
    both = build_index(discover([workspace]), Cache(None))
    assert both.normalised == single.normalised == 6

    def columns(index: object) -> list[tuple[object, ...]]:
        return [
            (u.file.path, u.cell, u.numbers, u.shapes, u.exacts, u.stamped)
            for u in index.units  # type: ignore[attr-defined]
        ]

    assert columns(both) == columns(single)
