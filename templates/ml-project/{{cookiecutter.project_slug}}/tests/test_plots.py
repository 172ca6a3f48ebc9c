from matplotlib.axes import Axes

from {{ cookiecutter.package_name }}.models.train import train
from {{ cookiecutter.package_name }}.plots import plot_confusion, save_figure


def test_confusion_plot_counts_every_test_row(splits, config, tmp_path) -> None:
    X_train, X_test, y_train, y_test = splits
    ax = plot_confusion(train(X_train, y_train, config), X_test, y_test)
    assert isinstance(ax, Axes)
    assert ax.images[0].get_array().sum() == len(y_test)
    path = save_figure(ax, "confusion", directory=tmp_path)
    assert path == tmp_path / "confusion.png" and path.stat().st_size > 0
