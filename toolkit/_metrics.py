"""The direction of a metric, told from its name: the one rule the plots and the runs share.

Standard library only, so ``toolkit.runs`` (light, used in training loops) and
``toolkit.plotting`` can both import it without pulling in the other.

Example:
    >>> lower_is_better("val_loss"), lower_is_better("test/RMSE"), lower_is_better("val_accuracy")
    (True, True, False)
"""

from __future__ import annotations

# A metric whose name contains one of these goes down as the model improves.
LOWER_IS_BETTER = ("loss", "error", "err", "mse", "mae", "rmse", "perplexity", "ppl", "wer", "cer")


def lower_is_better(metric: str) -> bool:
    """The direction of a metric by its name: losses and errors go down, the rest go up.

    Example:
        >>> lower_is_better("perplexity"), lower_is_better("f1")
        (True, False)
    """
    low = metric.lower()
    return any(key in low for key in LOWER_IS_BETTER)
