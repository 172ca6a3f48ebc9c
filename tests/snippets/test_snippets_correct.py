"""Correctness of the built-in snippets against hand-computed cases and reference libraries."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ._library import load_module

iou = load_module("cv/iou")
nms_mod = load_module("cv/nms")
conv = load_module("cv/box_convert")
arith = load_module("cv/conv_arithmetic")
mapm = load_module("cv/map_at_iou")
boot = load_module("evaluation/bootstrap_ci")
prop = load_module("evaluation/proportion_ci")
paired = load_module("evaluation/paired_comparison")
calib = load_module("evaluation/calibration_error")

coord = st.floats(0, 100, allow_nan=False)


@st.composite
def boxes(draw: st.DrawFn, n: int | None = None) -> np.ndarray:
    count = n if n is not None else draw(st.integers(1, 12))
    rows = []
    for _ in range(count):
        x1, y1 = draw(coord), draw(coord)
        rows.append([x1, y1, x1 + draw(st.floats(0.5, 50)), y1 + draw(st.floats(0.5, 50))])
    return np.array(rows)


def test_iou_hand_computed() -> None:
    a = np.array([[0, 0, 4, 4]])
    b = np.array([[2, 2, 6, 6], [0, 0, 4, 2], [4, 4, 8, 8], [1, 1, 3, 3]])
    # overlap 2x2=4 of union 16+16-4=28; half of a; touching corner; contained 4/16.
    np.testing.assert_allclose(iou.box_iou(a, b), [[4 / 28, 0.5, 0.0, 0.25]])
    assert iou.box_iou(np.array([[1, 1, 1, 1]]), np.array([[1, 1, 1, 1]]))[0, 0] == 0.0


@settings(max_examples=50, deadline=None)
@given(boxes(), boxes())
def test_iou_properties(a: np.ndarray, b: np.ndarray) -> None:
    m = iou.box_iou(a, b)
    assert m.shape == (len(a), len(b))
    assert np.all((m >= 0) & (m <= 1 + 1e-12))
    np.testing.assert_allclose(m, iou.box_iou(b, a).T)
    np.testing.assert_allclose(np.diag(iou.box_iou(a, a)), 1.0)


def brute_nms(b: np.ndarray, s: np.ndarray, thr: float) -> list[int]:
    keep: list[int] = []
    for i in sorted(range(len(s)), key=lambda k: (-s[k], k)):
        if all(iou.box_iou(b[i : i + 1], b[j : j + 1])[0, 0] <= thr for j in keep):
            keep.append(i)
    return keep


def test_nms_hand_computed() -> None:
    b = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 9], [20, 20, 30, 30]], float)
    s = np.array([0.6, 0.9, 0.8, 0.1])
    # Box 1 wins; box 2 vs 1: inter 9*8=72, union 100+90-72=118 -> 0.61 suppressed at 0.5;
    # box 0 vs 1: 81/119=0.68 suppressed; box 3 is far away.
    assert nms_mod.nms(b, s, 0.5).tolist() == [1, 3]
    assert nms_mod.nms(b, s, 0.65).tolist() == [1, 2, 3]
    assert nms_mod.nms(np.zeros((0, 4)), np.zeros(0)).tolist() == []
    with pytest.raises(ValueError, match="differ in length"):
        nms_mod.nms(b, s[:2])


@settings(max_examples=50, deadline=None)
@given(boxes(), st.floats(0.1, 0.9), st.randoms(use_true_random=False))
def test_nms_matches_brute_force(b: np.ndarray, thr: float, rnd: object) -> None:
    s = np.array([rnd.random() for _ in range(len(b))])  # type: ignore[attr-defined]
    assert nms_mod.nms(b, s, thr).tolist() == brute_nms(b, s, thr)


@settings(max_examples=50, deadline=None)
@given(boxes(), st.sampled_from(["xyxy", "xywh", "cxcywh"]), st.sampled_from(["xywh", "cxcywh"]))
def test_box_conversion_round_trips(b: np.ndarray, src: str, dst: str) -> None:
    start = conv.convert_boxes(b, "xyxy", src)
    back = conv.convert_boxes(conv.convert_boxes(start, src, dst), dst, src)
    np.testing.assert_allclose(back, start, atol=1e-9)
    np.testing.assert_allclose(conv.convert_boxes(start, src, "xyxy"), b, atol=1e-9)


def test_box_conversion_hand_computed_and_errors() -> None:
    xywh = np.array([[[5, 5, 10, 20]]], float)  # extra leading axis is fine
    np.testing.assert_allclose(conv.convert_boxes(xywh, "xywh", "cxcywh"), [[[10, 15, 10, 20]]])
    norm = conv.normalize_boxes(np.array([[10, 15, 10, 20]]), width=20, height=30)
    np.testing.assert_allclose(conv.denormalize_boxes(norm, 20, 30), [[10, 15, 10, 20]])
    with pytest.raises(ValueError, match="src"):
        conv.convert_boxes(xywh, "yolo", "xyxy")
    with pytest.raises(ValueError, match="4 values"):
        conv.convert_boxes(np.zeros((2, 3)), "xyxy", "xywh")


def test_conv_output_size_matches_torch_formula_cases() -> None:
    assert arith.conv_output_size(28, 5) == 24
    assert arith.conv_output_size(7, 3, stride=2) == 3
    assert arith.conv_output_size(7, 2, stride=2, ceil_mode=True) == 4  # MaxPool ceil_mode
    assert arith.conv_output_size(6, 3, padding=1, dilation=3) == 2
    with pytest.raises(ValueError, match="smaller than the kernel"):
        arith.conv_output_size(2, 5)
    assert arith.conv_transpose_output_size(7, 3, stride=2, padding=1, output_padding=1) == 14


def test_conv_output_size_against_torch() -> None:
    torch = pytest.importorskip("torch")
    x = torch.zeros(1, 1, 37, 37)
    for k, s, p, d in [(3, 1, 1, 1), (5, 2, 2, 1), (3, 2, 0, 2), (7, 3, 1, 1)]:
        out = torch.nn.functional.conv2d(
            x, torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d
        )
        assert out.shape[-1] == arith.conv_output_size(37, k, s, p, d)


def test_receptive_field_known_networks() -> None:
    L = arith.Layer
    # Two stacked 3x3 convs see 5x5, three see 7x7 (the VGG argument).
    assert arith.receptive_field([L(3), L(3)]).size == 5
    assert arith.receptive_field([L(3), L(3), L(3)]).size == 7
    # AlexNet conv1..pool5 has a 195-pixel receptive field and stride 32.
    alexnet = [
        L(11, 4, 2),
        L(3, 2),
        L(5, 1, 2),
        L(3, 2),
        L(3, 1, 1),
        L(3, 1, 1),
        L(3, 1, 1),
        L(3, 2),
    ]
    rf = arith.receptive_field(alexnet)
    assert (rf.size, rf.jump) == (195, 32)
    # Dilation 2 on a 3x3 kernel spans 5.
    assert arith.receptive_field([L(3, dilation=2)]).size == 5
    # 'same' 3x3 conv: the first output's centre sits on the first input pixel centre.
    assert arith.receptive_field([L(3, padding=1)]).start == 0.5


def _det(
    boxes_: list[list[float]], scores: list[float], labels: list[int]
) -> dict[str, np.ndarray]:
    return {
        "boxes": np.array(boxes_, float),
        "scores": np.array(scores),
        "labels": np.array(labels),
    }


def test_map_tiny_hand_made_case() -> None:
    gts = [
        {"boxes": np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), "labels": np.array([0, 1])},
        {"boxes": np.array([[0, 0, 10, 10]]), "labels": np.array([0])},
    ]
    dets = [
        # class 0: hit (0.9); class 1: a miss (0.8) ranked above the hit (0.3).
        _det([[0, 0, 10, 10], [50, 50, 60, 60], [20, 20, 30, 30]], [0.9, 0.8, 0.3], [0, 1, 1]),
        # class 0, image 2: a false positive ranked above a hit.
        _det([[40, 40, 50, 50], [1, 1, 10, 10]], [0.7, 0.6], [0, 0]),
    ]
    # class 0 ranking: TP(0.9) FP(0.7) TP(0.6): AP = 0.5*1 + 0.5*(2/3) = 5/6.
    # class 1 ranking: FP(0.8) TP(0.3): AP = 1.0 * 0.5 = 0.5.
    assert mapm.mean_average_precision(dets, gts, 0.5) == pytest.approx((5 / 6 + 0.5) / 2)
    # IoU of [1,1,10,10] with the ground truth is 0.81: at 0.9 it no longer matches.
    # class 0 at 0.9: TP(0.9) FP FP -> AP 0.5; class 1 unchanged 0.5.
    assert mapm.mean_average_precision(dets, gts, 0.9) == pytest.approx(0.5)


def test_map_duplicates_and_perfect() -> None:
    gts = [{"boxes": np.array([[0, 0, 10, 10]]), "labels": np.array([3])}]
    perfect = [_det([[0, 0, 10, 10]], [0.5], [3])]
    assert mapm.mean_average_precision(perfect, gts) == pytest.approx(1.0)
    # A duplicate detection is a false positive after the first match; it ranks last so AP stays 1.
    dup = [_det([[0, 0, 10, 10], [0, 0, 10, 10]], [0.9, 0.8], [3, 3])]
    assert mapm.mean_average_precision(dup, gts) == pytest.approx(1.0)
    # Only a miss: no true positive at all.
    miss = [_det([[50, 50, 60, 60]], [0.9], [3])]
    assert mapm.mean_average_precision(miss, gts) == 0.0


def test_bootstrap_ci_coverage_sanity() -> None:
    """A 90% CI for the mean of N(0, 1) samples covers 0 in roughly 90% of repetitions."""
    rng = np.random.default_rng(123)
    hits = 0
    trials = 150
    for t in range(trials):
        sample = rng.normal(size=60)
        ci = boot.bootstrap_ci(np.mean, sample, n_resamples=300, alpha=0.10, seed=t)
        hits += ci.low <= 0.0 <= ci.high
    assert 0.80 <= hits / trials <= 0.97
    # Width shrinks like 1/sqrt(n).
    wide = boot.bootstrap_ci(np.mean, rng.normal(size=50), n_resamples=500)
    narrow = boot.bootstrap_ci(np.mean, rng.normal(size=5000), n_resamples=500)
    assert (narrow.high - narrow.low) < (wide.high - wide.low) / 5


def test_bootstrap_strata_keep_class_counts() -> None:
    y = np.array([0] * 95 + [1] * 5)
    seen: list[int] = []
    boot.bootstrap_ci(lambda t: seen.append(int(t.sum())) or 0.0, y, n_resamples=50, strata=y)
    assert set(seen) == {5}
    with pytest.raises(ValueError, match="equal length"):
        boot.bootstrap_ci(np.mean, np.zeros(3), np.zeros(4))


def test_wilson_matches_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for k, n in [(81, 100), (0, 10), (10, 10), (3, 7)]:
        ref = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert prop.wilson_interval(k, n) == pytest.approx((ref.low, ref.high), abs=1e-9)
    with pytest.raises(ValueError):
        prop.wilson_interval(5, 3)


def test_mcnemar_hand_computed_and_paired_bootstrap_null() -> None:
    y = np.zeros(12, int)
    a = np.array([0] * 10 + [1, 1])  # A right on 10
    b = np.array([1] * 3 + [0] * 9)  # B wrong on the first 3
    res = paired.mcnemar_exact(y, a, b)
    # Discordant: A-only right = rows 0-2 (3), B-only right = rows 10-11 (2): p = 1.0.
    assert (res["a_only"], res["b_only"]) == (3, 2)
    assert res["p_value"] == pytest.approx(1.0)
    res = paired.mcnemar_exact(np.zeros(10), np.zeros(10), np.ones(10))
    assert res["p_value"] == pytest.approx(2 / 2**10)
    # Identical models: difference exactly 0, no significance.
    same = paired.paired_bootstrap(lambda t, p: float(np.mean(t == p)), y, a, a, n_resamples=200)
    assert same["diff"] == 0.0 and same["p_value"] == 1.0


def test_calibration_matches_sklearn() -> None:
    calibration = pytest.importorskip("sklearn.calibration")
    rng = np.random.default_rng(0)
    p = rng.random(2000)
    y = (rng.random(2000) < p**2).astype(int)
    for strategy in ("uniform", "quantile"):
        mean_p, frac, _ = calib.calibration_bins(y, p, 10, strategy)
        ref_frac, ref_mean = calibration.calibration_curve(y, p, n_bins=10, strategy=strategy)
        np.testing.assert_allclose(mean_p, ref_mean)
        np.testing.assert_allclose(frac, ref_frac)
    assert calib.expected_calibration_error(y, p) > 0.1
    perfectly = (rng.random(200000) < (q := rng.random(200000))).astype(int)
    assert calib.expected_calibration_error(perfectly, q) < 0.01


def test_letterbox_round_trip_and_shapes() -> None:
    lb = load_module("cv/letterbox")
    image = np.zeros((60, 80, 3), np.uint8)
    out, scale, pad = lb.letterbox(image, (100, 100))
    assert out.shape == (100, 100, 3) and scale == 1.25 and pad == (0, 12)
    box = np.array([[10.0, 20.0, 30.0, 40.0]])
    on_letterbox = box * scale + np.array([pad[0], pad[1], pad[0], pad[1]])
    np.testing.assert_allclose(lb.unletterbox_boxes(on_letterbox, scale, pad), box)
    small, s2, _ = lb.letterbox(image, (200, 200), allow_upscale=False)
    assert s2 == 1.0 and small.shape == (200, 200, 3)
    gray, _, _ = lb.letterbox(np.zeros((10, 20), np.uint8), (32, 32))
    assert gray.shape == (32, 32)


def test_warmup_cosine_factor_endpoints() -> None:
    sched = load_module("torch/warmup_cosine_schedule") if _has("torch") else None
    if sched is None:
        pytest.skip("torch not installed")
    f = sched.warmup_cosine_factor
    assert f(0, 10, 110) == 0.0 and f(10, 10, 110) == 1.0
    assert f(60, 10, 110, min_lr_ratio=0.1) == pytest.approx(0.55)
    assert f(500, 10, 110, min_lr_ratio=0.1) == pytest.approx(0.1)
    assert math.isclose(f(5, 10, 110), 0.5)


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
