from matplotlib.axes import Axes

from {{ cookiecutter.package_name }}.models.train import train
from {{ cookiecutter.package_name }}.plots import plot_confusion, save_figure


def test_confusion_plot_counts_every_test_row(splits, config, tmp_path) -> None:
    X_train, X_test, y_train, y_test = splits
    ax = plot_confusion(train(X_train, y_train, config), X_test, y_test)
    assert isinstance(ax, Axes)
    counts = [int(text.get_text().split("\n")[0]) for text in ax.texts]
    assert sum(counts) == len(y_test)
    assert save_figure(ax.figure, "confusion", directory=tmp_path).exists()
