"""`toolkit update` beside copier 9.19 and cruft: what each loses, and how long an update takes.

Part 1 runs every scenario of ``benchmarks/update_cases.py`` with the three tools (same template
in cookiecutter and copier form, same user edit, same checks) and prints a table of where each
loses an edit, writes a ``.rej``, reports success wrongly, misses a template change, or touches
a dirty tree it should have refused.

Part 2 times updating the demo project (the built-in ml-project, rendered with the demo answers)
by one template version, ours beside copier on the same update (the template converted to
copier form: same files, ``{{ cookiecutter.x }}`` -> ``{{ x }}``). Both run as commands, as a
user runs them; the runs alternate and the ratio is the median of the pairwise ratios.

Run: ``.venv/bin/python benchmarks/update_vs_copier.py`` (about three minutes; needs the dev
extra, which pins copier and cruft). ``--cases`` or ``--speed`` runs one part.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import update_cases as uc

REPO = Path(__file__).resolve().parent.parent
DEMO_ANSWERS = {"project_name": "Demo Project"}
ROUNDS = 5


def table() -> bool:
    """Part 1; True when toolkit has no problem in any case."""
    outcomes: dict[tuple[str, str], uc.Outcome] = {}
    for case in uc.CASES:
        for tool in uc.TOOLS:
            with tempfile.TemporaryDirectory(prefix=f"upd-{tool}-") as work:
                try:
                    outcomes[case.name, tool] = uc.run_case(tool, case, Path(work))
                except Exception as exc:  # a tool that cannot even run the case
                    failed = uc.Outcome(tool, case.name, [99], str(exc))
                    failed.lost = ["(tool failed to run the case)"]
                    outcomes[case.name, tool] = failed
    width = max(len(case.title) for case in uc.CASES)
    header = f"{'case':<{width}}  " + "  ".join(f"{tool:<28}" for tool in uc.TOOLS)
    print(header)
    print("-" * len(header))
    for case in uc.CASES:
        cells = "  ".join(f"{outcomes[case.name, tool].verdict():<28}" for tool in uc.TOOLS)
        print(f"{case.title:<{width}}  {cells}")
    print()
    for tool in uc.TOOLS:
        mine = [outcomes[case.name, tool] for case in uc.CASES]
        lost = sum(bool(o.lost) for o in mine)
        rej = sum(bool(o.rej) for o in mine)
        wrong = sum(o.wrong_success for o in mine)
        print(f"{tool:<8} lost an edit in {lost}, wrote .rej in {rej}, "
              f"false success in {wrong} of {len(mine)} cases")  # fmt: skip
    return all(outcomes[case.name, "toolkit"].ok for case in uc.CASES)


def _copier_template(source: Path, target: Path, answers: dict[str, str]) -> None:
    """The cookiecutter template ``source`` in copier form (hooks left out)."""
    project = target / "template"
    root = source / "{{cookiecutter.project_slug}}"
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(root).as_posix().replace("cookiecutter.", "")
        out = project / (relative + ".jinja")
        out.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8").replace("cookiecutter.", "")
        out.write_text(text.replace("{% now 'utc', '%Y' %}", "2026"), encoding="utf-8")
    (project / "{{ _copier_conf.answers_file }}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml -}}\n"
    )
    questions = "".join(
        f"{key}:\n  type: str\n  default: {json.dumps(str(value))}\n"
        for key, value in answers.items()
    )
    (target / "copier.yml").write_text(questions + "_subdirectory: template\n")


def _template_release(template: Path, suffix: str) -> None:
    """One template version: a Makefile target, a README line, a new CI step (a typical bump)."""
    for path in template.rglob("*"):
        if path.name.startswith("Makefile"):
            path.write_text(path.read_text() + "\nclean:\n\trm -rf build dist\n")
        elif path.name.startswith("README.md") and "notebooks" not in path.parts:
            path.write_text(path.read_text() + "\nSee CHANGELOG.md for template changes.\n")
    (template / suffix / "CHANGELOG.md").write_text("# Changelog\n\n- v2: clean target\n")


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = uc._run(command, cwd)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stdout[-500:]}{result.stderr[-1500:]}")
    return elapsed


def speed() -> float:
    """Part 2; returns our median seconds."""
    with tempfile.TemporaryDirectory(prefix="upd-speed-") as scratch:
        work = Path(scratch)
        ours_tpl = work / "ours-template"
        shutil.copytree(REPO / "templates" / "ml-project", ours_tpl)
        from toolkit.scaffold.snapshot import public_answers, template_context

        answers = public_answers(template_context(ours_tpl, _demo_answers(), user_defaults=False))
        copier_tpl = work / "copier-template"
        _copier_template(ours_tpl, copier_tpl, answers)
        for tpl, suffix in ((ours_tpl, "{{cookiecutter.project_slug}}"), (copier_tpl, "template")):
            uc.git(tpl, "init", "-q", "-b", "main")
            uc.git(tpl, "add", "-A")
            uc.git(tpl, "commit", "-qm", "v1")
            uc.git(tpl, "tag", "v1")
            _template_release(tpl, suffix)
            uc.git(tpl, "add", "-A")
            uc.git(tpl, "commit", "-qm", "v2")
            uc.git(tpl, "tag", "v2")
        uc.git(ours_tpl, "checkout", "-q", "v1")
        made = uc._run(
            [sys.executable, "-m", "toolkit", "new", str(ours_tpl), "--no-input", "-o",
             str(work / "ours"), *(f"{k}={v}" for k, v in DEMO_ANSWERS.items())],
            work,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        uc.git(ours_tpl, "checkout", "-q", "main")
        ours_project = next((work / "ours").iterdir())
        copier_project = work / "copier" / ours_project.name
        _timed([uc._bin("copier"), "copy", "--vcs-ref", "v1", "--defaults", "--trust", "-q",
                str(copier_tpl), str(copier_project)], work)  # fmt: skip
        for project in (ours_project, copier_project):
            uc.git(project, "init", "-q", "-b", "main")
            uc.git(project, "add", "-A")
            uc.git(project, "commit", "-qm", "created")
        files = sum(1 for p in ours_project.rglob("*") if p.is_file() and ".git" not in p.parts)
        ours_times, copier_times = [], []
        for round_ in range(ROUNDS):
            a = work / f"a{round_}"
            b = work / f"b{round_}"
            shutil.copytree(ours_project, a, symlinks=True)
            shutil.copytree(copier_project, b, symlinks=True)
            ours_times.append(
                _timed([sys.executable, "-m", "toolkit", "update", "--to", f"{ours_tpl}@v2"], a)
            )
            copier_update = ["update", "--vcs-ref", "v2", "--defaults", "--trust", "-q"]
            copier_times.append(
                _timed([uc._bin("copier"), *copier_update, "--conflict", "inline", str(b)], b)
            )
            assert "clean:" in (a / "Makefile").read_text(), "toolkit did not apply the update"
            assert "clean:" in (b / "Makefile").read_text(), "copier did not apply the update"
        ratios = [c / o for o, c in zip(ours_times, copier_times, strict=True)]
        ours_median = statistics.median(ours_times)
        print(f"demo project ({files} files), one template version, {ROUNDS} paired rounds:")
        print(f"  toolkit update  median {ours_median:.2f} s  (runs: "
              + ", ".join(f"{t:.2f}" for t in ours_times) + ")")  # fmt: skip
        print(f"  copier update   median {statistics.median(copier_times):.2f} s  (runs: "
              + ", ".join(f"{t:.2f}" for t in copier_times) + ")")  # fmt: skip
        print(f"  copier / toolkit: median of pairwise ratios {statistics.median(ratios):.1f}x")
        print(f"  budget: toolkit under 2 s -> {'met' if ours_median < 2 else 'NOT met'}")
        return ours_median


def _demo_answers() -> dict[str, str]:
    from toolkit.scaffold.names import derive_names

    slug, package = derive_names(DEMO_ANSWERS["project_name"])
    return {**DEMO_ANSWERS, "project_slug": slug, "package_name": package}


def main() -> int:
    """Run both parts; exit 1 when toolkit loses anything or misses the speed budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", action="store_true", help="only the scenario table")
    parser.add_argument("--speed", action="store_true", help="only the timing")
    args = parser.parse_args()
    ok = True
    if not args.speed:
        ok = table() and ok
        print()
    if not args.cases:
        ok = speed() < 2 and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
