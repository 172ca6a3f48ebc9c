"""``snippet add --into``: a valid module with merged imports, and ruff's isort agrees."""

from __future__ import annotations

import ast
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from toolkit.errors import ToolkitError, UsageError
from toolkit.snippets.imports import Atom, ImportContext, add_imports, atoms_of
from toolkit.snippets.insert import add_snippet
from toolkit.snippets.library import load_library
from toolkit.snippets.stamp import find_blocks
from toolkit.snippets.status import scan

RUFF = Path(sys.executable).parent / "ruff"

SNIPPET = textwrap.dedent(
    '''\
    """Count words in files.

    tags: text
    requires: none
    version: 1

    Example:
        >>> count_words(["a b"])
        2
    """

    from __future__ import annotations

    import os
    import re
    from collections.abc import Iterable

    WORD = re.compile(r"\\w+")


    def count_words(lines: Iterable[str]) -> int:
        """Words in ``lines``."""
        return sum(len(WORD.findall(line)) for line in lines) + 0 * len(os.sep)
    '''
)

HOST = textwrap.dedent(
    '''\
    """My module."""

    import os
    import sys

    import numpy as np


    def main() -> int:
        print(np.pi, os.sep, sys.argv)
        return 0


    if __name__ == "__main__":
        raise SystemExit(main())
    '''
)


@pytest.fixture
def snippet(env, write_snippet):
    path = env["builtin"] / "text" / "words.py"
    path.parent.mkdir(parents=True)
    path.write_text(SNIPPET)
    return load_library().get("text/words")


def test_into_gives_a_valid_module_with_merged_imports(env, snippet) -> None:
    host = env["project"] / "host.py"
    host.write_text(HOST)
    add_snippet(snippet, into=host)
    text = host.read_text()
    tree = ast.parse(text)  # a valid module
    assert ast.get_docstring(tree) == "My module."
    assert text.count('"""Count words') == 0  # the snippet's docstring stays in the library
    # The future import is the first statement after the docstring, where Python needs it.
    first = tree.body[1]
    assert isinstance(first, ast.ImportFrom) and first.module == "__future__"
    assert text.count("import os\n") == 1  # merged, not repeated
    assert "import re\nimport sys\nfrom collections.abc import Iterable\n" in text
    # The block comes before the main guard, which can then call it.
    assert text.index("# <<< snippet text/words") < text.index('if __name__ == "__main__":')
    [block] = find_blocks(text)
    assert block.hoisted and "def count_words" in block.body
    assert [c.state for c in scan(env["project"], load_library())] == ["untouched"]
    namespace: dict[str, object] = {"__name__": "host"}
    exec(compile(text, "host.py", "exec"), namespace)
    assert namespace["count_words"](["a b c"]) == 3  # type: ignore[operator]


def test_into_refuses_bad_python_and_name_clashes_leaving_the_file(env, snippet) -> None:
    broken = env["project"] / "broken.py"
    broken.write_text("def f(:\n")
    with pytest.raises(UsageError, match=r"broken\.py:1: not valid Python"):
        add_snippet(snippet, into=broken)
    assert broken.read_text() == "def f(:\n"
    clash = env["project"] / "clash.py"
    clash.write_text("def count_words():\n    return 0\n")
    with pytest.raises(ToolkitError, match="count_words"):
        add_snippet(snippet, into=clash)
    assert clash.read_text() == "def count_words():\n    return 0\n"
    assert not (env["project"] / ".toolkit").exists()


def test_into_empty_file_is_the_whole_snippet(env, snippet) -> None:
    empty = env["project"] / "empty.py"
    empty.write_text("")
    add_snippet(snippet, into=empty)
    text = empty.read_text()
    assert ast.get_docstring(ast.parse(text)).startswith("Count words")  # type: ignore[union-attr]
    assert not find_blocks(text)[0].hoisted


_POOL = [
    "import os",
    "import sys",
    "import json",
    "import re",
    "import collections.abc",
    "import numpy as np",
    "import numpy",
    "import pandas as pd",
    "import torch",
    "import PIL",
    "import matplotlib.pyplot as plt",
    "import matplotlib as mpl",
    "from typing import Any",
    "from typing import TYPE_CHECKING",
    "from typing import TypeVar",
    "from typing import cast",
    "from collections.abc import Iterable",
    "from collections.abc import Sequence",
    "from pathlib import Path",
    "from dataclasses import dataclass, field",
    "from torch import nn",
    "from sklearn.base import BaseEstimator",
    "from sklearn.base import TransformerMixin",
    "from sklearn.model_selection import StratifiedKFold, train_test_split",
    "from mypkg import helpers",
    "from mypkg.data import load",
    "import mypkg",
    "from . import sibling",
    "from .utils import tool",
    "from __future__ import annotations",
    "import datetime as dt",
    "from os import path as osp",
    "import http.client",
    "import xml.etree.ElementTree as ET",
    "from io import BytesIO, StringIO",
    "from module2 import x",
    "from module10 import y",
]


def _sorted_like_ruff(statements: list[str], tmp: Path) -> str:
    """Let ruff sort an import block (the reference)."""
    path = tmp / "ref.py"
    path.write_text("\n".join(statements) + "\n")
    subprocess.run(
        [str(RUFF), "check", "--no-cache", "--select", "I", "--fix", "--quiet", str(path)],
        cwd=tmp,
        capture_output=True,
    )
    return path.read_text()


@pytest.mark.skipif(not RUFF.exists(), reason="ruff is not installed in this environment")
def test_merged_imports_pass_ruff_isort(tmp_path: Path) -> None:
    """120 random module/snippet import sets: every merge is what ruff's isort accepts."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "mypkg"\n[tool.ruff]\nline-length = 60\n'
        '[tool.ruff.lint]\nselect = ["I"]\n'
    )
    (tmp_path / "mypkg").mkdir()
    for module in ("__init__", "data", "helpers"):  # ruff resolves first-party modules fully
        (tmp_path / "mypkg" / f"{module}.py").write_text("")
    context = ImportContext(frozenset({"mypkg"}), line_length=60)
    rng = random.Random(12)
    cases = tmp_path / "mypkg" / "cases"
    cases.mkdir()
    (cases / "__init__.py").write_text("")
    for i in range(120):
        have = rng.sample(_POOL, rng.randint(0, 8))
        add = rng.sample(_POOL, rng.randint(1, 6))
        head = '"""Case."""\n\n' if i % 3 else ""
        module = _sorted_like_ruff(have, tmp_path) if have else ""
        text = head + module + ("\n" if module else "") + "X = 1\n"
        merged = add_imports(text, atoms_of("\n".join(add)), context)
        ast.parse(merged)
        (cases / f"case_{i}.py").write_text(merged)
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--select", "I", "--output-format", "concise", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[:3000]


def test_import_atoms_are_not_repeated() -> None:
    text = "import os\nfrom typing import Any, cast\n\nX = os.sep\n"
    again = add_imports(
        text, [Atom("os"), Atom("typing", "Any"), Atom("typing", "cast")], ImportContext()
    )
    assert again == text
