"""Strip outputs, execution counts and volatile metadata from notebooks, losslessly.

Defaults match nbstripout (same volatile keys, same ``keep_output`` tag/metadata rules), with
two deliberate differences: cell ids are kept as they are (nbstripout renumbers them "0", "1", …,
so inserting a cell churns every later id in the diff), and ``drop_tagged_cells`` honours every
tag given (nbstripout's filter closes over the loop variable and applies only the last tag).
Sources are kept in the representation they were written in (nbformat turns strings into line
lists); everything the options do not remove is preserved exactly.

Example:
    >>> nb = {"cells": [{"cell_type": "code", "id": "a1", "metadata": {"scrolled": True},
    ...        "execution_count": 3, "outputs": [{"output_type": "stream"}], "source": "x"}],
    ...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> stripped = strip_notebook(nb)
    >>> cell = stripped["cells"][0]
    >>> cell["id"], cell["metadata"], cell["execution_count"], cell["outputs"]
    ('a1', {}, None, [])
"""

from __future__ import annotations

import os

from toolkit._record import Record
from toolkit.errors import InvalidNotebookError, ToolkitError

# Only the standard library's lightest modules here: this is the hook's hot path, and typing,
# pathlib, json (with re) and tempfile would each add 7-10 ms to every hook start. json loads
# only to word an error for an invalid file.
TYPE_CHECKING = False  # not typing.TYPE_CHECKING, for the same reason
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable
    from typing import Any

    from toolkit.notebooks.io import Notebook

# nbstripout's default volatile keys: widget state, signatures, UI state, execution timings.
DEFAULT_EXTRA_KEYS = (
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
)


class StripOptions(Record):
    """What to remove. The defaults are nbstripout's, except that cell ids are kept.

    A plain class rather than a dataclass or NamedTuple: those import modules (inspect,
    typing) that would cost every hook start more than the stripping itself.
    """

    __slots__ = (
        "drop_empty_cells",
        "drop_tagged_cells",
        "extra_keys",
        "keep_count",
        "keep_id",
        "keep_metadata",
        "keep_output",
        "strip_init_cells",
    )

    def __init__(
        self,
        keep_output: bool = False,
        keep_count: bool = False,
        keep_id: bool = True,
        extra_keys: tuple[str, ...] = (),
        keep_metadata: tuple[str, ...] = (),
        drop_empty_cells: bool = False,
        drop_tagged_cells: tuple[str, ...] = (),
        strip_init_cells: bool = False,
    ) -> None:
        self.keep_output = keep_output
        self.keep_count = keep_count
        self.keep_id = keep_id
        self.extra_keys = tuple(extra_keys)
        self.keep_metadata = tuple(keep_metadata)
        self.drop_empty_cells = drop_empty_cells
        self.drop_tagged_cells = tuple(drop_tagged_cells)
        self.strip_init_cells = strip_init_cells

    def volatile_keys(self) -> list[str]:
        """Default plus extra keys, minus the ones the user keeps (``--keep-metadata``)."""
        keys = [*DEFAULT_EXTRA_KEYS, *self.extra_keys]
        kept = {key if "." in key else f"metadata.{key}" for key in self.keep_metadata}
        kept |= {f"cell.metadata.{key}" for key in self.keep_metadata if "." not in key}
        return [key for key in keys if key not in kept]


class StripOption(Record):
    """One command-line option of stripping: its flags, the :class:`StripOptions` field it
    sets, its kind (``flag``; ``inverse`` sets the field to False; ``keys``: repeatable, each
    value a space-separated list), and its help."""

    __slots__ = ("field", "flags", "help", "kind")

    def __init__(self, flags: tuple[str, ...], field: str, kind: str, help: str) -> None:
        self.flags, self.field, self.kind, self.help = flags, field, kind, help


# The one definition of the stripping options: the hook (argparse), `toolkit nb strip` (click)
# and the git filter (argparse, from `install-filter`) are all built from this table and read
# values through `options_from`, so "scratch debug" means two tags everywhere.
STRIP_OPTIONS = (
    StripOption(("--keep-output",), "keep_output", "flag", "keep every cell's outputs"),
    StripOption(("--keep-count",), "keep_count", "flag", "keep execution counts"),
    StripOption(("--renumber-ids",), "keep_id", "inverse", "cell ids '0', '1', … (nbstripout)"),
    StripOption(
        ("--keep-metadata", "--keep-metadata-keys"),  # the second is nbstripout's name
        "keep_metadata",
        "keys",
        "keep these volatile keys ('metadata.widgets collapsed'); repeatable",
    ),
    StripOption(
        ("--extra-keys",),
        "extra_keys",
        "keys",
        "also remove these keys ('metadata.foo cell.metadata.bar'); repeatable",
    ),
    StripOption(("--drop-empty-cells",), "drop_empty_cells", "flag", "remove empty cells"),
    StripOption(
        ("--drop-tagged-cells",),
        "drop_tagged_cells",
        "keys",
        "remove cells with any of these tags ('scratch debug'); repeatable",
    ),
    StripOption(
        ("--strip-init-cells",), "strip_init_cells", "flag", "also strip cells marked init_cell"
    ),
)


def option_dest(option: StripOption) -> str:
    """The parameter name argparse and click give the option (its first flag)."""
    return option.flags[0].lstrip("-").replace("-", "_")


def options_from(values: dict[str, Any]) -> StripOptions:
    """:class:`StripOptions` from parsed option values keyed by :func:`option_dest`; every
    ``keys`` value is split on whitespace, so ``["scratch debug", "tmp"]`` is three tags.

    Example:
        >>> options_from({"drop_tagged_cells": ["scratch debug"]}).drop_tagged_cells
        ('scratch', 'debug')
    """
    fields: dict[str, Any] = {}
    for option in STRIP_OPTIONS:
        value = values.get(option_dest(option))
        if option.kind == "flag":
            fields[option.field] = bool(value)
        elif option.kind == "inverse":
            fields[option.field] = not value
        else:
            fields[option.field] = tuple(part for item in value or () for part in item.split())
    return StripOptions(**fields)


def option_arguments(options: StripOptions) -> list[str]:
    """The command-line arguments that give ``options`` (the inverse of parsing them).

    Example:
        >>> option_arguments(StripOptions(keep_count=True, drop_tagged_cells=("a", "b")))
        ['--keep-count', '--drop-tagged-cells', 'a b']
    """
    default = StripOptions()
    arguments: list[str] = []
    for option in STRIP_OPTIONS:
        value = getattr(options, option.field)
        if value == getattr(default, option.field):
            continue
        arguments += (
            [option.flags[0]] if option.kind != "keys" else [option.flags[0], " ".join(value)]
        )
    return arguments


def add_strip_arguments(parser: argparse.ArgumentParser) -> None:
    """Add :data:`STRIP_OPTIONS` to an argparse parser (the hook and the git filter)."""
    for option in STRIP_OPTIONS:
        if option.kind == "keys":
            # One value per flag (repeatable), never nargs="+": that would swallow the file
            # names pre-commit appends after the hook's args.
            parser.add_argument(
                *option.flags, action="append", default=[], metavar="KEYS", help=option.help
            )
        else:
            parser.add_argument(*option.flags, action="store_true", help=option.help)


class StripResult(Record):
    """What happened to one file: ``changed`` (or would change, with check), or an ``error``
    (``error_exit`` is its exit code: 2 for a file that is not a readable notebook, 1 for a
    refused write); ``cleared_cells`` counts the cells whose outputs were removed."""

    __slots__ = ("changed", "cleared_cells", "error", "error_exit", "path")

    def __init__(
        self,
        path: str | os.PathLike[str],
        changed: bool = False,
        error: str | None = None,
        cleared_cells: int = 0,
        error_exit: int = 2,
    ) -> None:
        self.path, self.changed, self.error = path, changed, error
        self.cleared_cells = cleared_cells  # cells whose outputs were removed
        self.error_exit = error_exit

    @property
    def exit_code(self) -> int:
        """0 clean, 1 changed (a finding), else the error's code (see :mod:`toolkit.errors`)."""
        return self.error_exit if self.error else int(self.changed)

    def message(self, check: bool = False) -> str:
        """One line for a changed file, e.g. ``stripped nb.ipynb (outputs of 2 cells)``."""
        verb = "would strip" if check else "stripped"
        n = self.cleared_cells
        detail = f"outputs of {n} cell{'s' if n != 1 else ''}" if n else "counts/metadata only"
        return f"{verb} {os.fspath(self.path)} ({detail})"


# A tree of key paths: key -> the tree of paths below it, or None where the path ends there.
PathTree = dict[str, "PathTree | None"]
_PATH_TREES: dict[tuple[str, ...], PathTree] = {}


def _path_tree(paths: list[str]) -> PathTree:
    """``["a.b", "a.c", "d"]`` -> ``{"a": {"b": None, "c": None}, "d": None}``, memoised: it is
    asked for every cell. A path that ends at a key wins over longer ones through it."""
    key = tuple(paths)
    tree = _PATH_TREES.get(key)
    if tree is None:
        tree = {}
        for path in paths:
            node: PathTree = tree
            head, _, rest = path.partition(".")
            while rest:  # "a." ends at "a", as "a" does
                below = node.setdefault(head, {})
                if below is None:
                    break
                node = below
                head, _, rest = rest.partition(".")
            else:
                node[head] = None
        tree = _PATH_TREES[key] = tree
    return tree


def without_key_paths(container: Any, paths: list[str]) -> Any:
    """``container`` without every key path (``"a.b"``: key ``b`` inside key ``a``) in
    ``paths``: a copy along the paths that remove something, else ``container`` itself.

    Paths are followed through nested objects only, as nbstripout's ``pop_recursive`` does:
    a key that literally contains a dot (``"metadata.collapsed"`` beside ``"metadata"``) is the
    user's data, never a path, so stripping neither deletes it nor is steered by it.
    Copy-on-write instead of a deep copy: outputs can be megabytes of images, and copying
    them only to drop them dominated the run time.

    Example:
        >>> without_key_paths({"metadata": {"scrolled": True, "tags": []}}, ["metadata.scrolled"])
        {'metadata': {'tags': []}}
        >>> without_key_paths({"metadata.scrolled": 1}, ["metadata.scrolled"])
        {'metadata.scrolled': 1}
    """
    return _without(container, _path_tree(paths)) if paths else container


def _without(container: Any, tree: PathTree) -> Any:
    if not isinstance(container, dict):
        return container
    result = container
    for key, below in tree.items():
        if key not in result:
            continue
        if below is None:
            if result is container:
                result = dict(container)
            del result[key]
            continue
        inner = _without(result[key], below)
        if inner is not result[key]:
            result = {**result, key: inner} if result is container else result
            result[key] = inner
    return result


def _tags(cell: dict[str, Any]) -> list[Any]:
    metadata = cell.get("metadata")
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return tags if isinstance(tags, list) else []


def keep_cell_output(cell: dict[str, Any], default: bool, strip_init_cells: bool) -> bool:
    """nbstripout's rule: ``init_cell`` metadata, ``keep_output`` metadata or tag, else default."""
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return default
    if "init_cell" in metadata:
        return bool(metadata["init_cell"]) and not strip_init_cells
    has_tag = "keep_output" in _tags(cell)
    if "keep_output" in metadata and has_tag and not metadata["keep_output"]:
        raise InvalidNotebookError("cell metadata contradicts tags: keep_output is false")
    if "keep_output" in metadata or has_tag:
        return bool(metadata.get("keep_output", False)) or has_tag
    return default


def _is_empty(cell: dict[str, Any]) -> bool:
    source = cell.get("source", [])
    lines = [source] if isinstance(source, str) else source
    return not any(str(line).strip() for line in lines)


def drop_cell(cell: dict[str, Any], options: StripOptions) -> bool:
    """Whether ``--drop-empty-cells`` or ``--drop-tagged-cells`` removes this cell."""
    if options.drop_empty_cells and _is_empty(cell):
        return True
    drop_tags = options.drop_tagged_cells
    return bool(drop_tags) and not set(drop_tags).isdisjoint(map(str, _tags(cell)))


def volatile_paths(options: StripOptions) -> tuple[list[str], list[str]]:
    """The volatile keys as dotted paths from a cell and from the notebook root."""
    cell_paths, notebook_paths = [], []
    for key in options.volatile_keys():
        namespace, _, rest = key.partition(".")
        if namespace == "cell" and rest:
            cell_paths.append(rest)
        elif namespace == "metadata" and rest:
            notebook_paths.append(key)
    return cell_paths, notebook_paths


def strip_cell(
    cell: dict[str, Any],
    index: int,
    keep_output: bool,
    cell_paths: list[str],
    options: StripOptions,
) -> dict[str, Any]:
    """One cell stripped (a copy; unchanged parts are shared). ``index`` is its new position."""
    cell = dict(cell)
    if "outputs" in cell:
        if not keep_cell_output(cell, keep_output, options.strip_init_cells):
            cell["outputs"] = []
        elif not options.keep_count:
            cell["outputs"] = [
                {**output, "execution_count": None}
                if isinstance(output, dict) and "execution_count" in output
                else output
                for output in cell["outputs"]
            ]
    if "execution_count" in cell and not options.keep_count:
        cell["execution_count"] = None
    if "id" in cell and not options.keep_id:
        cell["id"] = str(index)
    stripped: dict[str, Any] = without_key_paths(cell, cell_paths)
    return stripped


def strip_notebook(nb: Notebook, options: StripOptions = StripOptions()) -> Notebook:
    """Return a stripped copy of ``nb``; the input is not modified (unchanged parts are shared)."""
    keep_output = options.keep_output or bool(nb.get("metadata", {}).get("keep_output", False))
    cell_paths, notebook_paths = volatile_paths(options)
    stripped = dict(without_key_paths(nb, notebook_paths))
    cells = [cell for cell in nb["cells"] if not drop_cell(cell, options)]
    stripped["cells"] = [
        strip_cell(cell, index, keep_output, cell_paths, options)
        for index, cell in enumerate(cells)
    ]
    return stripped


def strip_text_counted(
    text: str, options: StripOptions = StripOptions(), name: str = "<stdin>"
) -> tuple[str, int]:
    """Stripped notebook JSON text and how many cells lost their outputs; ``text`` itself
    when nothing changes. Edits are spliced into the text (see :mod:`toolkit.notebooks.splice`);
    a file that is not a usable notebook raises :class:`InvalidNotebookError` naming ``name``.

    Example:
        >>> strip_text_counted('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        ('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', 0)
    """
    from toolkit.notebooks.splice import strip_text as splice_text

    return splice_text(text, options, name)


def strip_text(text: str, options: StripOptions = StripOptions(), name: str = "<stdin>") -> str:
    """Strip notebook JSON text; returns ``text`` itself when nothing changes."""
    return strip_text_counted(text, options, name)[0]


def strip_file(
    path: str | os.PathLike[str], options: StripOptions = StripOptions(), *, check: bool = False
) -> StripResult:
    """Strip one file in place (atomically); a clean file is not touched (same bytes, mtime).

    With ``check``, nothing is written; ``changed`` says whether it would be.
    """
    from toolkit._io import atomic_write_bytes, read_bytes, shown_name
    from toolkit.notebooks.splice import strip_bytes

    name = os.fspath(path)
    try:
        # A FIFO or folder named *.ipynb is refused here without waiting on it.
        data, state = read_bytes(path)
        stripped, cleared = strip_bytes(data, options, name)
    except ToolkitError as exc:
        named = name in str(exc) or shown_name(name) in str(exc)
        error = str(exc) if named else f"{shown_name(name)}: {exc}"
        return StripResult(path, error=error, error_exit=exc.exit_code)
    if stripped is data:
        return StripResult(path)
    if not check:
        try:  # through links, never over a read-only file or a save made while we worked
            atomic_write_bytes(path, stripped, expect=state)
        except ToolkitError as exc:
            return StripResult(path, error=str(exc), error_exit=exc.exit_code)
    return StripResult(path, changed=True, cleared_cells=cleared)


def notebook_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The files to strip for ``paths``: a folder stands for the notebooks below it (sorted,
    skipping ``.ipynb_checkpoints``), anything else for itself (a missing file is reported
    when it is stripped).

    Example:
        >>> import tempfile, os
        >>> root = tempfile.mkdtemp()
        >>> for name in ("b.ipynb", "a.ipynb", "notes.txt"):
        ...     open(os.path.join(root, name), "w").close()
        >>> [os.path.basename(p) for p in notebook_paths([root])]
        ['a.ipynb', 'b.ipynb']
    """
    found: list[str] = []
    for path in [os.fspath(p) for p in paths]:
        if not os.path.isdir(path):
            found.append(path)
            continue
        below: list[tuple[tuple[str, ...], str]] = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = [name for name in dirs if name != ".ipynb_checkpoints"]
            for name in files:
                if name.endswith(".ipynb"):
                    full = os.path.join(folder, name)
                    below.append((tuple(os.path.relpath(full, path).split(os.sep)), full))
        found += [full for _, full in sorted(below)]
    return found


def _size_of(path: str | os.PathLike[str]) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # strip_file reports it


# At most this many bytes of notebooks are read and not yet written at a time (a larger file
# goes alone): peak memory stays near one file's worth, not the batch's.
IN_FLIGHT_BYTES = 8 << 20
_WORKERS = 4


def strip_files(
    paths: Iterable[str | os.PathLike[str]],
    options: StripOptions = StripOptions(),
    *,
    check: bool = False,
) -> list[StripResult]:
    """Strip many files; a bad file is reported in its result and the others still processed.

    Files are handled by a few threads: the JSON work holds the GIL, but reading and the
    ``fsync`` of each atomic write do not, and waiting for the disk one file at a time
    dominated the run time. Threads take files in order and hold at most
    :data:`IN_FLIGHT_BYTES` between them. Results come back in the order of ``paths``.
    """
    from toolkit.notebooks.splice import use_fast_path

    paths = list(paths)
    sizes = [_size_of(path) for path in paths]
    use_fast_path(sum(sizes))  # a large batch loads the fast path once, for every file
    if len(paths) < 4:
        return [strip_file(path, options, check=check) for path in paths]
    # threading, not concurrent.futures: the latter imports ~15 ms of modules per hook start.
    import threading

    results: list[StripResult | None] = [None] * len(paths)
    positions = iter(range(len(paths)))
    lock = threading.Condition()
    in_flight = [0]
    failures: list[BaseException] = []

    def work() -> None:
        while True:
            with lock:
                index = next(positions, None)
                if index is None:
                    return
                size = sizes[index]
                # Wait for room; a file larger than the budget goes when nothing else is held.
                while in_flight[0] and in_flight[0] + size > IN_FLIGHT_BYTES:
                    lock.wait()  # a file larger than the budget goes when nothing is held
                in_flight[0] += size
            try:
                results[index] = strip_file(paths[index], options, check=check)
            except BaseException as exc:  # re-raised in the caller's thread below
                failures.append(exc)
                return
            finally:
                with lock:
                    in_flight[0] -= size
                    lock.notify_all()

    workers = [threading.Thread(target=work) for _ in range(min(_WORKERS, len(paths)))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]
    return [result for result in results if result is not None]
