"""Value semantics for small plain classes on the hooks' hot path.

A dataclass or NamedTuple would import ``dataclasses``/``inspect`` or ``typing`` (~10 ms of
every hook start on a slow machine), so these classes declare ``__slots__`` and inherit
equality, hashing and ``repr`` from them here.

Example:
    >>> class Point(Record):
    ...     __slots__ = ("x", "y")
    ...     def __init__(self, x: int, y: int) -> None:
    ...         self.x, self.y = x, y
    >>> Point(1, 2) == Point(1, 2), Point(1, 2)
    (True, Point(x=1, y=2))
"""

from __future__ import annotations


class Record:
    """Equality, hash and repr from the subclass's ``__slots__``, in their order."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record)
            and type(other) is type(self)
            and (self._fields() == other._fields())
        )

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"
