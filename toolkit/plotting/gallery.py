"""Render every figure of ``toolkit.plotting`` on bundled or generated data.

``make gallery`` runs ``python -m toolkit.plotting.gallery docs/gallery``; docs/plotting.md shows
the PNGs. Data: scikit-learn's bundled datasets (breast cancer, digits, iris, diabetes) and small
generated arrays, seeded so the images are reproducible.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import toolkit.plotting as tp


def _classification() -> dict[str, Any]:
    from sklearn.datasets import load_breast_cancer, load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.naive_bayes import GaussianNB
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = load_breast_cancer(return_X_y=True)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.4, random_state=0, stratify=y)
    lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(xtr, ytr)
    nb = GaussianNB().fit(xtr, ytr)
    dx, dy = load_digits(return_X_y=True)
    dtr, dte, dytr, dyte = train_test_split(dx, dy, test_size=0.5, random_state=0, stratify=dy)
    dmodel = make_pipeline(StandardScaler(), LogisticRegression(max_iter=300)).fit(dtr, dytr)
    return {
        "y": yte,
        "p_lr": lr.predict_proba(xte)[:, 1],
        "p_nb": nb.predict_proba(xte)[:, 1],
        "digits_x": dte,
        "digits_y": dyte,
        "digits_proba": dmodel.predict_proba(dte),
        "digits_pred": dmodel.predict(dte),
    }


def figures() -> dict[str, Callable[[], Any]]:
    """Name -> zero-argument function drawing one gallery figure."""
    import pandas as pd
    from sklearn.datasets import load_diabetes, load_iris
    from sklearn.inspection import permutation_importance
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import learning_curve, validation_curve
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.default_rng(0)
    c = _classification()
    iris = load_iris(as_frame=True)
    diabetes = load_diabetes(as_frame=True)
    ridge = Ridge(alpha=1.0).fit(diabetes.data, diabetes.target)
    d_pred = ridge.predict(diabetes.data)

    def importance() -> Any:
        result = permutation_importance(
            ridge, diabetes.data, diabetes.target, n_repeats=10, random_state=0
        )
        return tp.feature_importance(result, list(diabetes.data.columns))

    def curves() -> Any:
        knn = KNeighborsClassifier()
        return tp.learning_curve(
            learning_curve(
                knn,
                iris.data,
                iris.target,
                cv=5,
                shuffle=True,
                random_state=0,
                train_sizes=np.linspace(0.2, 1, 6),
            ),
            score_name="accuracy",
        )

    def validation() -> Any:
        k = np.array([1, 2, 4, 8, 16, 32, 64])
        tr, te = validation_curve(
            KNeighborsClassifier(),
            iris.data,
            iris.target,
            param_name="n_neighbors",
            param_range=k,
            cv=5,
        )
        return tp.validation_curve(k, tr, te, param_name="n_neighbors", score_name="accuracy")

    steps = np.arange(200_000)
    loss = 2.0 / np.sqrt(1 + steps / 500) + rng.normal(0, 0.08, steps.size)
    history = pd.DataFrame({"step": steps, "loss": loss})
    epochs = {
        "baseline": {"epoch": range(30), "loss": 1 / np.sqrt(np.arange(1, 31)),
                     "val_loss": 1 / np.sqrt(np.arange(1, 31)) + np.linspace(0, 0.25, 30) ** 2,
                     "val_acc": 1 - 0.6 / np.sqrt(np.arange(1, 31))},
        "augmented": {"epoch": range(30), "loss": 1.1 / np.sqrt(np.arange(1, 31)),
                      "val_loss": 1.05 / np.sqrt(np.arange(1, 31)) + 0.02,
                      "val_acc": 1 - 0.55 / np.sqrt(np.arange(1, 31))},
    }  # fmt: skip
    warm = np.linspace(0, 3e-4, 500)
    cosine = 3e-4 * 0.5 * (1 + np.cos(np.linspace(0, np.pi, 9500))) + 1e-6
    frame = iris.frame.copy()
    frame["species"] = iris.target_names[iris.target]
    holes = diabetes.data.copy()
    holes.loc[rng.random(len(holes)) < 0.15, "bmi"] = np.nan
    holes.loc[holes.index[100:180], ["s1", "s2"]] = np.nan
    holes.loc[rng.random(len(holes)) < 0.05, "age"] = np.nan
    mixed = diabetes.frame.assign(
        sex=np.where(diabetes.data["sex"] > 0, "m", "f"),
        risk=pd.cut(diabetes.target, 3, labels=["low", "mid", "high"]).astype(str),
    )
    emb = np.concatenate([rng.normal(m, 0.6, (3000, 2)) for m in ((0, 0), (3, 1), (1, 3), (4, 4))])
    emb_labels = np.repeat(["cat", "dog", "bird", "fish"], 3000)
    scene = np.linspace(0, 1, 160)[None, :, None] * np.ones((120, 160, 3)) * [0.5, 0.7, 0.9]
    y1000 = rng.integers(0, 1000, 200_000)  # confusions between neighbouring classes
    p1000 = np.where(
        rng.random(y1000.size) < 0.7, y1000, (y1000 + rng.integers(-3, 4, y1000.size)) % 1000
    )
    wrong = c["digits_pred"] != c["digits_y"]
    picks = np.r_[np.flatnonzero(wrong)[:6], np.flatnonzero(~wrong)[:18]]

    return {
        "confusion_matrix": lambda: tp.confusion_matrix(c["digits_y"], c["digits_pred"],
                                                        normalize="true"),
        "confusion_matrix_1000": lambda: tp.confusion_matrix(
            y1000, p1000,
            order="confusion", title="1,000 classes, ordered by confusion"),
        "roc": lambda: tp.roc(c["y"], c["p_lr"], n_bootstraps=200),
        "roc_multiclass": lambda: tp.roc(c["digits_y"], c["digits_proba"]),
        "precision_recall": lambda: tp.precision_recall(c["digits_y"], c["digits_proba"],
                                                        average=("micro", "macro")),
        "calibration": lambda: tp.calibration(
            c["y"], {"logistic": c["p_lr"], "naive Bayes": c["p_nb"]}),
        "threshold_metrics": lambda: tp.threshold_metrics(c["y"], c["p_lr"]),
        "cumulative_gain": lambda: tp.cumulative_gain(c["y"], c["p_nb"]),
        "residuals": lambda: tp.residuals(diabetes.target, d_pred),
        "predicted_vs_actual": lambda: tp.predicted_vs_actual(diabetes.target, d_pred),
        "feature_importance": importance,
        "learning_curve": curves,
        "validation_curve": validation,
        "training_curves": lambda: tp.training_curves(epochs),
        "training_curves_200k": lambda: tp.training_curves(history, smoothing=0.95, log=True),
        "lr_schedule": lambda: tp.lr_schedule(np.r_[warm, cosine]),
        "compare_runs": lambda: tp.compare_runs(
            {"baseline": rng.normal(0.81, 0.01, 5), "augmented": rng.normal(0.84, 0.012, 5),
             "bigger model": rng.normal(0.835, 0.02, 5)}, metric="accuracy"),
        "distribution": lambda: tp.distribution(frame["petal length (cm)"], hue=frame["species"]),
        "distribution_train_test": lambda: tp.distribution(
            rng.normal(0, 1, 10_000_000), compare=rng.normal(0.3, 1.2, 1_000_000)),
        "missing_matrix": lambda: tp.missing_matrix(holes),
        "correlation_heatmap": lambda: tp.correlation_heatmap(mixed, cluster=True),
        "class_balance": lambda: tp.class_balance(
            rng.choice(["cat", "dog", "bird", "fish"], 5000, p=[0.6, 0.25, 0.1, 0.05]),
            compare=rng.choice(["cat", "dog", "bird", "fish"], 1000, p=[0.5, 0.3, 0.15, 0.05])),
        "scatter_matrix": lambda: tp.scatter_matrix(iris.data, hue=frame["species"]),
        "embedding_scatter": lambda: tp.embedding_scatter(emb, emb_labels),
        "image_grid": lambda: tp.image_grid(
            c["digits_x"][picks].reshape(-1, 8, 8) / 16, labels=c["digits_y"][picks],
            predictions=c["digits_pred"][picks], ncols=8, panel_size=1.2),
        "draw_boxes": lambda: tp.draw_boxes(
            scene, [[10, 20, 70, 100], [80, 30, 150, 90], [60, 60, 90, 110]],
            labels=["person", "car", "dog"], scores=[0.97, 0.88, 0.42]),
        "cjk": _cjk_figure,
    }  # fmt: skip


def _cjk_figure() -> Any:
    if tp.find_cjk_font() is None:
        return None
    # No opting in: the installed CJK font is picked up by itself.
    ax = tp.class_balance(["猫"] * 50 + ["狗"] * 30 + ["鸟"] * 8, title="类别分布（训练集）")
    ax.set_xlabel("样本数 −")
    return ax


def render(outdir: str | Path, *, dpi: int = 80, only: list[str] | None = None) -> list[Path]:
    """Render the gallery into ``outdir`` as ``<name>.png``; returns the written paths."""
    import matplotlib.pyplot as plt

    out = Path(outdir)
    written = []
    with tp.style():
        for name, draw in figures().items():
            if only and name not in only:
                continue
            result = draw()
            if result is None:
                print(f"skipped {name} (no CJK font installed)", file=sys.stderr)
                continue
            written += tp.save_figure(result, out / f"{name}.png", dpi=dpi)
            plt.close(result if hasattr(result, "savefig") else result.figure)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m toolkit.plotting.gallery OUTDIR [NAME ...]``."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m toolkit.plotting.gallery OUTDIR [NAME ...]", file=sys.stderr)
        return 2
    paths = render(args[0], only=args[1:] or None)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} figures to {args[0]} ({total / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
