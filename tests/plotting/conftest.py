"""Helpers for the plotting tests: render every figure to PNG and close nothing global."""

from __future__ import annotations

import io
from typing import Any

import pytest


def render(obj: Any) -> bytes:
    """Render an Axes or Figure to PNG bytes under Agg (the test backend)."""
    fig = obj if hasattr(obj, "savefig") else obj.figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    data = buf.getvalue()
    assert data.startswith(b"\x89PNG")
    return data


@pytest.fixture
def png():
    return render


@pytest.fixture(autouse=True)
def _close_figures():
    """Plot functions draw on pyplot figures (so notebooks show them): close them per test."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
