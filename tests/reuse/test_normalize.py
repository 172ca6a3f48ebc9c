"""The line normaliser: which lines count, and which lines look alike."""

from __future__ import annotations

from toolkit.reuse.normalize import normalize, normalize_units


def _shapes(text: str) -> list[int]:
    return normalize(text).shapes.tolist()


def _same_shape(a: str, b: str) -> bool:
    return _shapes(a) == _shapes(b) and len(_shapes(a)) == 1


def test_kept_lines_skip_comments_docstrings_imports_and_brackets() -> None:
    text = (
        '"""Module docstring\n'  # 1
        'over two lines."""\n'  # 2
        "import os\n"  # 3
        "from a import (\n"  # 4
        "    b,\n"  # 5 kept: part of an import, but not the import line itself
        ")\n"  # 6
        "# a comment\n"  # 7
        "\n"  # 8
        "def f(x):\n"  # 9
        "    s = '''one\n"  # 10
        "two'''  # trailing\n"  # 11
        "    return [\n"  # 12
        "        x,\n"  # 13
        "    ]\n"  # 14
        "from_here = 1\n"  # 15: a name, not the keyword
    )
    assert normalize(text).numbers.tolist() == [5, 9, 10, 12, 13, 15]


def test_renamed_and_changed_literals_share_a_shape_not_an_exact_hash() -> None:
    a = normalize("total = values[3] * 1.5 + f'{name}'\n")
    b = normalize("acc = xs[7] * 2e-3 + rb'x'\n")
    assert a.shapes.tolist() == b.shapes.tolist()
    assert a.exacts.tolist() != b.exacts.tolist()
    spaced = normalize("total  =  values[ 3 ]*1.5 + f'{name}'  # comment\n")
    assert spaced.exacts.tolist() == a.exacts.tolist()  # white space and comments don't count


def test_keywords_operators_and_numbers_stay_apart() -> None:
    assert not _same_shape("if x:\n", "while x:\n")
    assert not _same_shape("x = y\n", "x = 1\n")  # a name is not a number
    assert not _same_shape("x = y\n", "x = 'y'\n")  # nor a string
    assert not _same_shape("f(a)\n", "f()\n")
    assert not _same_shape("x = a + b\n", "x = a - b\n")
    assert _same_shape("x = 1.\n", "x = .5\n") and _same_shape("x = 1.e-5\n", "x = 0x1F\n")
    assert _same_shape("v = obj.attr\n", "w = self.x2\n")
    assert not _same_shape("v = obj.attr\n", "v = 1.5\n")
    assert _same_shape("变量 = 1\n", "name = 2\n")  # non-ASCII names are names
    assert _same_shape("x = '# not a comment'\n", "y = 'z'\n")


def test_units_are_independent_and_line_numbers_are_their_own() -> None:
    cells = [b"x = '''never closed\n", b"def f(a):\n    return a\n", b"", b"# only a comment"]
    out = normalize_units(cells)
    assert [u.numbers.tolist() for u in out] == [[1], [1, 2], [], []]
    alone = normalize_units([cells[1]])[0]
    assert out[1].shapes.tolist() == alone.shapes.tolist()
    assert normalize("a = 1\r\nb = 2\r\n").numbers.tolist() == [1, 2]
    assert normalize_units([]) == []


def test_a_backslash_continues_a_one_line_string() -> None:
    text = 'x = f"one \\\n    two"\ny = 1\n'
    assert normalize(text).numbers.tolist() == [1, 3]
