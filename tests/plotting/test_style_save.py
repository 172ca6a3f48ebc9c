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
from toolkit.plotting.style import CJK_FONTS

PUBLIC = [
    "confusion_matrix", "roc", "precision_recall", "calibration", "threshold_metrics",
    "cumulative_gain", "residuals", "predicted_vs_actual", "feature_importance", "learning_curve",
    "validation_curve", "training_curves", "lr_schedule", "compare_runs", "distribution",
    "missing_matrix", "correlation_heatmap", "class_balance", "scatter_matrix",
    "embedding_scatter", "image_grid", "draw_boxes", "use_style", "style", "save_figure",
]  # fmt: skip


def test_public_names_and_conventions():
    for name in PUBLIC:
        func = getattr(tp, name)
        assert func.__doc__ and ">>>" in func.__doc__, f"{name} needs a docstring example"
        params = inspect.signature(func).parameters
        if name in {"use_style", "style", "save_figure", "image_grid", "scatter_matrix"}:
            continue
        assert "ax" in params and params["ax"].kind is inspect.Parameter.KEYWORD_ONLY, name


@pytest.mark.parametrize(
    "module", ["data", "metrics", "training", "vision", "style", "save", "_reduce", "_validate"]
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


def test_cjk_title_renders_without_missing_glyphs():
    font = _has_cjk_or_skip()
    assert font in CJK_FONTS
    with tp.style(cjk=True):
        assert mpl.rcParams["font.family"] == ["DejaVu Sans", font]
        ax = tp.distribution(np.linspace(-3, 3, 100), kde=False, title="训练集 特征分布 −1")
        ax.set_xlabel("数值（标准化）")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
            buf = io.BytesIO()
            ax.figure.savefig(buf, format="png", dpi=50)
    assert buf.getvalue().startswith(b"\x89PNG")


def test_without_cjk_glyphs_are_reported_missing():
    """The check above is meaningful: without the fallback, the same title warns."""
    _has_cjk_or_skip()
    with mpl.rc_context({"font.family": ["sans-serif"], "font.sans-serif": ["DejaVu Sans"]}):
        ax = tp.distribution([1.0, 2.0], kde=False, title="训练集")
        with pytest.warns(UserWarning, match="missing from font"):
            ax.figure.savefig(io.BytesIO(), format="png", dpi=50)


def test_cjk_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(
        importlib.import_module("toolkit.plotting.style"), "find_cjk_font", lambda: None
    )
    with pytest.raises(tp.CJKFontNotFoundError, match="fonts-wqy-microhei"):
        tp.use_style(cjk=True)


def test_save_figure_writes_every_format_atomically(tmp_path):
    ax = tp.class_balance(["a", "b", "b"])
    written = tp.save_figure(
        ax, tmp_path / "out" / "balance.png", formats=("png", "pdf", "svg"), dpi=60
    )
    assert [p.name for p in written] == ["balance.png", "balance.pdf", "balance.svg"]
    assert written[0].read_bytes().startswith(b"\x89PNG")
    assert written[1].read_bytes().startswith(b"%PDF")
    assert b"<svg" in written[2].read_bytes()[:500]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    with pytest.raises(ValueError, match="formats: unknown format"):
        tp.save_figure(ax, tmp_path / "x", formats=("gif",))
    with pytest.raises(ValueError, match="fig: expected a matplotlib Figure"):
        tp.save_figure("nope", tmp_path / "x")  # type: ignore[arg-type]


def test_import_does_not_touch_rcparams_or_pyplot():
    import subprocess
    import sys

    code = (
        "import matplotlib as mpl, sys; before = dict(mpl.rcParams); import toolkit.plotting;"
        "assert dict(mpl.rcParams) == before; assert 'matplotlib.pyplot' not in sys.modules;"
        "assert 'sklearn' not in sys.modules and 'seaborn' not in sys.modules"
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
