"""Convolution output size and receptive field of a stack of conv/pool layers.

``conv_output_size`` follows the PyTorch formula
``floor((n + 2*padding - dilation*(kernel-1) - 1) / stride) + 1`` (``ceil`` with
``ceil_mode=True``). ``receptive_field`` walks a list of layers and returns, for the last one,
the receptive field size, the effective stride (``jump``) and the centre of the first output
unit in input coordinates.

tags: cv, cnn, convolution, receptive-field, shapes
requires: none
version: 1

Example:
    >>> conv_output_size(224, kernel_size=7, stride=2, padding=3)
    112
    >>> conv_output_size(112, kernel_size=3, stride=2, padding=1)
    56
    >>> conv_output_size(32, kernel_size=3, dilation=2)
    28
    >>> layers = [Layer(3), Layer(3), Layer(2, stride=2), Layer(3)]
    >>> rf = receptive_field(layers)
    >>> (rf.size, rf.jump)
    (10, 2)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def conv_output_size(
    size: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Spatial output length of a convolution or pooling layer along one axis."""
    effective = dilation * (kernel_size - 1) + 1
    span = size + 2 * padding - effective
    if span < 0:
        raise ValueError(
            f"input size {size} (+padding) is smaller than the kernel span {effective}"
        )
    rounding = math.ceil if ceil_mode else math.floor
    return int(rounding(span / stride)) + 1


def conv_transpose_output_size(
    size: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int:
    """Output length of a transposed convolution (``nn.ConvTranspose2d``) along one axis.

    >>> conv_transpose_output_size(16, kernel_size=4, stride=2, padding=1)
    32
    """
    return (size - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1


@dataclass(frozen=True)
class Layer:
    """One conv or pooling layer along one axis."""

    kernel_size: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1


@dataclass(frozen=True)
class ReceptiveField:
    """Receptive field ``size``, cumulative stride ``jump`` and ``start`` (centre of unit 0)."""

    size: int
    jump: int
    start: float


def receptive_field(layers: Sequence[Layer]) -> ReceptiveField:
    """Receptive field of the last layer's units with respect to the input."""
    size, jump, start = 1, 1, 0.5
    for layer in layers:
        kernel = layer.dilation * (layer.kernel_size - 1) + 1
        size += (kernel - 1) * jump
        start += ((kernel - 1) / 2 - layer.padding) * jump
        jump *= layer.stride
    return ReceptiveField(size=size, jump=jump, start=start)
