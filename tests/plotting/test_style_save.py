"""Style, CJK fonts (rendered for real), saving, doctests and the API contract."""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
import os
import warnings

import matplotlib as mpl
import numpy as np
import pytest

import toolkit.plotting as tp
from toolkit.plotting.styling import CJK_FONTS

PUBLIC = [
    "confusion_matrix", "roc", "precision_recall", "calibration", "threshold_metrics",
    "cumulative_gain", "residuals", "predicted_vs_actual", "feature_importance", "learning_curve",
    "validation_curve", "training_curves", "lr_schedule", "compare_runs", "distribution",
    "missing_matrix", "correlation_heatmap", "class_balance", "scatter_matrix",
    "embedding_scatter", "image_grid", "draw_boxes", "use_style", "style", "save_figure",
    "use_cjk_font",
]  # fmt: skip


def test_public_names_and_conventions():
    for name in PUBLIC:
        func = getattr(tp, name)
        assert func.__doc__ and ">>>" in func.__doc__, f"{name} needs a docstring example"
        params = inspect.signature(func).parameters
        if name in {
            "use_style",
            "style",
            "save_figure",
            "image_grid",
            "scatter_matrix",
            "use_cjk_font",
        }:
            continue
        assert "ax" in params and params["ax"].kind is inspect.Parameter.KEYWORD_ONLY, name


@pytest.mark.parametrize(
    "module", ["data", "metrics", "training", "vision", "styling", "save", "_reduce", "_validate"]
)
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"toolkit.plotting.{module}")
    result = doctest.testmod(mod, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_style_context_restores_rcparams():
    before = dict(mpl.rcParams)
    with tp.style(context="talk"):
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["font.size"] == pytest.approx(12.5)
    assert dict(mpl.rcParams) == before
    with pytest.raises(ValueError, match="context"), tp.style(context="poster"):
        pass


def _has_cjk_or_skip() -> str:
    font = tp.find_cjk_font()
    if font is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI must have a CJK font installed (.ci/run installs fonts-wqy-microhei)")
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    return font


def _fonts_drawing(text) -> list[str]:
    """Paths of the font files matplotlib's per-glyph fallback uses for ``text``."""
    from matplotlib import font_manager

    return list(font_manager.fontManager._find_fonts_by_props(text.get_fontproperties()))


def _glyphs_missing(text) -> list[str]:
    """Characters of ``text`` that no font of its fallback list has a glyph for (tofu)."""
    from matplotlib.ft2font import FT2Font

    fonts = [FT2Font(path) for path in _fonts_drawing(text)]
    return [
        ch
        for ch in text.get_text()
        if not ch.isspace() and not any(f.get_char_index(ord(ch)) for f in fonts)
    ]


def test_cjk_title_renders_without_opting_in(tmp_path):
    """No style, no cjk=True: the title, a label set afterwards and the tick labels render with
    the installed CJK font, the theme is untouched, and the PNG shows the glyphs."""
    from matplotlib import font_manager

    font = _has_cjk_or_skip()
    assert font in CJK_FONTS
    cjk_file = font_manager.findfont(font, fallback_to_default=False)
    before = dict(mpl.rcParams)
    ax = tp.class_balance(["猫", "狗", "狗"], title="训练集 特征分布 −1")
    ax.set_xlabel("样本数（标准化）")
    assert dict(mpl.rcParams) == before  # nothing global changed
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        tp.save_figure(ax, tmp_path / "cjk.png", dpi=60)
    for text in [ax.title, ax.xaxis.label, *ax.get_yticklabels()]:
        assert cjk_file in _fonts_drawing(text), text
        assert _glyphs_missing(text) == [], text.get_text()
    # Latin text keeps its own font first (DejaVu Sans, with the proper minus sign).
    assert "DejaVuSans" in _fonts_drawing(ax.title)[0]
    assert (tmp_path / "cjk.png").read_bytes().startswith(b"\x89PNG")


def test_cjk_text_added_later_renders_at_draw():
    _has_cjk_or_skip()
    ax = tp.roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    later = ax.text(0.5, 0.5, "后加的说明")
    ax.figure.savefig(io.BytesIO(), format="png", dpi=40)
    assert _glyphs_missing(later) == []


def test_plain_matplotlib_text_is_tofu_without_the_font():
    """The checks above are meaningful: the same title on a plain figure misses glyphs."""
    import matplotlib.pyplot as plt

    _has_cjk_or_skip()
    with mpl.rc_context({"font.family": ["sans-serif"], "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("训练集")
        assert _glyphs_missing(ax.title) == ["训", "练", "集"]
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png", dpi=50)


def test_cjk_font_without_the_theme():
    font = _has_cjk_or_skip()
    with mpl.rc_context():
        spines = mpl.rcParams["axes.spines.top"]
        assert tp.use_cjk_font() == font
        assert mpl.rcParams["font.family"][-1] == font
        assert mpl.rcParams["axes.spines.top"] == spines  # the theme is not applied
    with tp.style(cjk=True):
        assert mpl.rcParams["font.family"] == ["DejaVu Sans", font]
    with mpl.rc_context({"font.family": ["sans-serif"]}), tp.style(cjk=False):
        assert font not in mpl.rcParams["font.family"]


def test_cjk_missing_font_is_a_clear_error(monkeypatch):
    from toolkit.errors import ToolkitError, UsageError

    monkeypatch.setattr(
        importlib.import_module("toolkit.plotting.styling"), "find_cjk_font", lambda: None
    )
    with pytest.raises(tp.CJKFontNotFoundError, match="fonts-wqy-microhei") as err:
        tp.use_style(cjk=True)
    assert isinstance(err.value, UsageError) and isinstance(err.value, ToolkitError)
    with pytest.raises(tp.CJKFontNotFoundError):
        tp.use_cjk_font()
    with mpl.rc_context():
        tp.use_style(context="paper")  # auto (cjk=None) without a font: no error
    ax = tp.class_balance(["a", "b"])  # and figures draw as before
    assert not any(a.get_gid() == "toolkit-cjk-fallback" for a in ax.figure.artists)


def test_save_figure_writes_only_the_named_file(tmp_path):
    ax = tp.class_balance(["a", "b", "b"])
    written = tp.save_figure(ax, tmp_path / "out" / "balance.png", dpi=60)
    assert written == [tmp_path / "out" / "balance.png"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["balance.png"]
    assert written[0].read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in tp.save_figure(ax, tmp_path / "b.svg")[0].read_bytes()[:500]


def test_save_figure_several_formats_when_asked(tmp_path):
    from toolkit.errors import UsageError

    ax = tp.class_balance(["a", "b", "b"])
    written = tp.save_figure(
        ax, tmp_path / "out" / "balance.png", formats=("png", "pdf", "svg"), dpi=60
    )
    assert [p.name for p in written] == ["balance.png", "balance.pdf", "balance.svg"]
    assert written[1].read_bytes().startswith(b"%PDF")
    assert b"<svg" in written[2].read_bytes()[:500]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    with pytest.raises(UsageError, match="formats: unknown format"):
        tp.save_figure(ax, tmp_path / "x", formats=("gif",))
    with pytest.raises(UsageError, match="fig: expected a matplotlib Figure"):
        tp.save_figure("nope", tmp_path / "x")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="extension"):
        tp.save_figure(ax, tmp_path / "no_suffix")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _pdf_font_subtypes(data: bytes) -> list[bytes]:
    import contextlib
    import re
    import zlib

    # Font dictionaries may sit in compressed object streams: inflate every stream too.
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(m.group(1)))
    found = []
    for chunk in chunks:
        for m in re.finditer(rb"/Type\s*/Font\b.{0,400}", chunk, re.S):
            sub = re.search(rb"/Subtype\s*/(\w+)", m.group(0))
            if sub:
                found.append(sub.group(1))
    return found


def test_pdf_embeds_truetype_not_type3(tmp_path):
    ax = tp.roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], title="ROC 曲线")
    before = (mpl.rcParams["pdf.fonttype"], mpl.rcParams["ps.fonttype"])
    (pdf,) = tp.save_figure(ax, tmp_path / "roc.pdf")
    subtypes = _pdf_font_subtypes(pdf.read_bytes())
    assert subtypes and b"Type3" not in subtypes, subtypes
    assert (mpl.rcParams["pdf.fonttype"], mpl.rcParams["ps.fonttype"]) == before  # save only
    # The check can fail: matplotlib's default (Type 3) is caught by it.
    plain = tmp_path / "plain.pdf"
    with mpl.rc_context({"pdf.fonttype": 3}):
        ax.figure.savefig(plain)
    assert b"Type3" in _pdf_font_subtypes(plain.read_bytes())


def test_import_does_not_touch_rcparams_or_pyplot():
    import subprocess
    import sys

    code = (
        "import matplotlib as mpl, sys; before = dict(mpl.rcParams); import toolkit.plotting;"
        "assert dict(mpl.rcParams) == before; assert 'matplotlib.pyplot' not in sys.modules;"
        "assert 'sklearn' not in sys.modules and 'seaborn' not in sys.modules;"
        "assert 'narwhals' not in sys.modules and 'toolkit.columns' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_save_figure_into_an_impossible_folder_is_one_clear_error(tmp_path) -> None:
    import matplotlib.pyplot as plt
    import pytest

    from toolkit.errors import FileWriteError
    from toolkit.plotting import save_figure

    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    fig, _ = plt.subplots()
    with pytest.raises(FileWriteError, match="cannot create its folder"):
        save_figure(fig, blocker / "fig.png")
    plt.close(fig)
    assert blocker.read_text() == "x"
