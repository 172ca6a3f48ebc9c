"""More reference checks: segmentation metrics, thresholds, configs, cache, EMA, clipping."""

from __future__ import annotations

import numpy as np
import pytest

from ._library import load_module


def test_mask_metrics_match_sklearn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    seg = load_module("cv/mask_metrics")
    rng = np.random.default_rng(0)
    target = rng.integers(0, 4, (32, 32))
    pred = np.where(rng.random((32, 32)) < 0.7, target, rng.integers(0, 4, (32, 32)))
    m = seg.segmentation_metrics(pred, target, num_classes=4)
    ref_iou = metrics.jaccard_score(target.ravel(), pred.ravel(), average=None)
    ref_dice = metrics.f1_score(target.ravel(), pred.ravel(), average=None)
    np.testing.assert_allclose(m["iou"], ref_iou)
    np.testing.assert_allclose(m["dice"], ref_dice)
    assert m["pixel_accuracy"] == pytest.approx(np.mean(pred == target))
    # A class absent from both is NaN and skipped by the mean.
    m = seg.segmentation_metrics(np.zeros((2, 2), int), np.zeros((2, 2), int), num_classes=3)
    assert np.isnan(m["iou"][1]) and m["mean_iou"] == 1.0


def test_thresholds_brute_force() -> None:
    thr = load_module("evaluation/threshold_tuning")
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    s = np.clip(y * 0.3 + rng.random(300) * 0.7, 0, 1)

    def f1_at(t: float) -> float:
        pred = s >= t
        tp = np.sum(pred & (y == 1))
        return 2 * tp / (pred.sum() + y.sum())

    t, f1 = thr.best_f1_threshold(y, s)
    assert f1 == pytest.approx(max(f1_at(c) for c in np.unique(s)))
    assert f1_at(t) == pytest.approx(f1)
    t = thr.threshold_for_precision(y, s, 0.9)
    assert np.mean(y[s >= t]) >= 0.9
    t = thr.threshold_for_recall(y, s, 0.95)
    assert np.mean(s[y == 1] >= t) >= 0.95
    with pytest.raises(ValueError, match="precision"):
        thr.threshold_for_precision(y, s, 1.01)


def test_disk_cache_invalidates_on_arguments(tmp_path: object) -> None:
    cache = load_module("utils/disk_cache")
    calls: list[tuple[int, int]] = []

    @cache.disk_cache(tmp_path)
    def add(a: int, b: int = 0) -> int:
        calls.append((a, b))
        return a + b

    assert add(1, b=2) == add(1, b=2) == 3
    assert add(1, b=3) == 4
    assert calls == [(1, 2), (1, 3)]


def test_dataclass_config_bool_and_errors() -> None:
    from dataclasses import dataclass

    cfg_mod = load_module("utils/dataclass_config")

    @dataclass
    class C:
        flag: bool = False
        layers: int = 2

    assert cfg_mod.apply_overrides(C(), ["flag=0", "layers=5"]) == C(False, 5)
    with pytest.raises(ValueError, match="boolean"):
        cfg_mod.apply_overrides(C(), ["flag=maybe"])
    with pytest.raises(ValueError, match="key=value"):
        cfg_mod.apply_overrides(C(), ["flag"])


def test_format_seconds() -> None:
    timer = load_module("utils/timer")
    assert timer.format_seconds(59.999) == "60.00 s"
    assert timer.format_seconds(61) == "1m 01s"
    assert timer.format_seconds(7200) == "2h 00m 00s"


def test_torch_training_pieces() -> None:
    torch = pytest.importorskip("torch")
    loop = load_module("torch/train_loop_amp")
    ema_mod = load_module("torch/weight_ema")
    # Gradient clipping: one step of SGD with lr=1 moves weights by at most max_grad_norm.
    model = torch.nn.Linear(3, 1)
    before = torch.cat([p.detach().flatten().clone() for p in model.parameters()])
    x = torch.full((8, 3), 100.0)
    y = torch.zeros(8, 1)
    loader = [(x, y)]
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    loop.train_one_epoch(model, loader, opt, torch.nn.MSELoss(), max_grad_norm=0.5, use_amp=False)
    after = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert float(torch.linalg.vector_norm(after - before)) == pytest.approx(0.5, rel=1e-4)
    # EMA warm-up: first update follows the model almost fully.
    ema = ema_mod.ModelEMA(model, decay=0.999, warmup_tau=2000.0)
    with torch.no_grad():
        model.weight.add_(1.0)
    ema.update(model)
    assert torch.allclose(ema.module.weight, model.weight, atol=1e-2)
    count = load_module("torch/count_parameters")
    tied = torch.nn.Sequential(torch.nn.Linear(4, 4, bias=False), torch.nn.Linear(4, 4, bias=False))
    tied[1].weight = tied[0].weight
    assert count.count_parameters(tied)["total"] == 16
