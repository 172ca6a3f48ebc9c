"""Refuse a package name that cannot be imported or would shadow another module.

Runs inside cookiecutter before any file is written, so plain `cookiecutter` users are protected
the same way `toolkit new` users are (toolkit new checks earlier, with a suggested name).

The rule is a copy of toolkit.scaffold.names.package_name_problem, by design: cookiecutter runs
this hook in whatever Python runs cookiecutter, where compound-toolkit may not be installed, so
it cannot import the toolkit. tests/scaffold/test_names.py keeps the two equal.
"""

import keyword
import re
import sys

PACKAGE = "{{ cookiecutter.package_name }}"
SLUG = "{{ cookiecutter.project_slug }}"
RESERVED = {"numpy", "pandas", "torch", "sklearn", "matplotlib", "scipy", "src", "test", "tests", "toolkit"}


def problem(name: str) -> str | None:
    if not name:
        return "it is empty (the project name has no letters or digits)"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        return "it is not a valid lower-case Python identifier"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "it is a Python keyword"
    if name in sys.stdlib_module_names:
        return "it would shadow the standard-library module of the same name"
    if name in RESERVED:
        return "it would shadow a widely used module (numpy, pandas, torch, test, …)"
    return None


if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", SLUG):
    print(
        f"ERROR: project_slug={SLUG!r} is not usable: it must be lower-case letters, digits and "
        "dashes, starting with a letter or digit.",
        file=sys.stderr,
    )
    sys.exit(1)
reason = problem(PACKAGE)
if reason:
    print(f"ERROR: package_name={PACKAGE!r} is not usable: {reason}.", file=sys.stderr)
    sys.exit(1)
