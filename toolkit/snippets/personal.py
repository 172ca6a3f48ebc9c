"""``new`` and ``promote``: put code into the personal library.

``new FILE[:FUNCTION] --name N`` copies a file (or one function/class of it, with the imports it
needs) into the first personal library directory. ``promote FILE`` takes a locally improved
stamped copy and saves it as the next version in the personal library (shadowing the built-in
one), then re-stamps the copy so it counts as untouched.

Example:
    >>> import os, pathlib, tempfile
    >>> lib = pathlib.Path(tempfile.mkdtemp())
    >>> src = pathlib.Path(tempfile.mkdtemp()) / "geo.py"
    >>> _ = src.write_text("import math\\n\\ndef area(r):\\n    '''Circle area.'''\\n"
    ...                    "    return math.pi * r * r\\n")
    >>> new_snippet(src, "geo/area", function="area", directory=lib).relative_to(lib).as_posix()
    'geo/area.py'
"""

from __future__ import annotations

import ast
from pathlib import Path

from toolkit.errors import ToolkitError, UsageError
from toolkit.snippets.config import writable_personal_dir
from toolkit.snippets.extract import (
    distributions_for,
    extract_function,
    has_module_docstring,
    imports_in,
    make_snippet_text,
    needed_imports,
    set_version,
    third_party_modules,
    undefined_names,
)
from toolkit.snippets.library import Library
from toolkit.snippets.model import parse_snippet_text, validate_name
from toolkit.snippets.receipts import ReceiptStore
from toolkit.snippets.stamp import (
    find_blocks,
    read_source,
    render_block,
    replace_block,
    strip_markers,
    write_source,
)


def _destination(name: str, directory: Path | None, force: bool) -> Path:
    root = directory if directory is not None else writable_personal_dir()
    path = root.joinpath(*validate_name(name).split("/")).with_suffix(".py")
    if path.exists() and not force:
        raise ToolkitError(f"{path}: snippet {name!r} exists (use --force to replace it)")
    return path


def build_snippet_text(
    code: str, *, context_imports: list[str], summary: str | None, tags: list[str]
) -> tuple[str, set[str]]:
    """Snippet text for ``code`` plus the names it uses but nothing defines."""
    if has_module_docstring(code):
        return code if code.endswith("\n") else code + "\n", undefined_names(code)
    imports = needed_imports(code, context_imports)
    full = "\n".join([*imports, code])
    missing = undefined_names(full)
    if summary is None:
        summary = ""
        for node in ast.parse(code).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                summary = (ast.get_docstring(node) or "").strip().split("\n")[0]
                break
    requires = distributions_for(third_party_modules(imports_in(full)))
    text = make_snippet_text(code, summary=summary, tags=tags, requires=requires, imports=imports)
    return text, missing


def new_snippet(
    file: Path,
    name: str,
    *,
    function: str | None = None,
    summary: str | None = None,
    tags: list[str] | None = None,
    directory: Path | None = None,
    force: bool = False,
) -> Path:
    """Add ``file`` (or its ``function``) to the personal library as ``name``; return the path."""
    name = validate_name(name)
    source, _ = read_source(file)
    # A stamped copy's markers must not travel into the library (they would nest on `add`).
    source = strip_markers(source)
    if not tags and "/" in name:
        tags = [name.split("/")[0]]  # the topic is the least a tag line can say
    try:
        ast.parse(source)
    except SyntaxError as exc:
        raise UsageError(f"{file}:{exc.lineno}: not valid Python ({exc.msg})") from exc
    destination = _destination(name, directory, force)
    if function is not None:
        code = extract_function(source, function, where=str(file))
        text, _ = build_snippet_text(
            code, context_imports=imports_in(source), summary=summary, tags=tags or []
        )
    else:
        text, _ = build_snippet_text(source, context_imports=[], summary=summary, tags=tags or [])
    parse_snippet_text(text, name, path=destination)  # refuse to write a malformed snippet
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_source(destination, text)
    return destination


def promote(
    file: Path,
    library: Library,
    *,
    name: str | None = None,
    directory: Path | None = None,
) -> tuple[Path, int]:
    """Save the stamped copy in ``file`` as a new personal version; return (path, version)."""
    text, newline = read_source(file)
    blocks = [b for b in find_blocks(text, where=str(file)) if name is None or b.name == name]
    if not blocks:
        raise ToolkitError(f"{file}: no stamped snippet{f' {name!r}' if name else ''} to promote")
    if len(blocks) > 1:
        names = ", ".join(b.name for b in blocks)
        raise UsageError(f"{file}: several snippets ({names}); choose one with --name")
    block = blocks[0]
    if block.has_conflict_markers:
        raise ToolkitError(f"{file}: snippet {block.name!r} has conflict markers; resolve first")
    current = library.snippets.get(block.name)
    version = max(block.version, current.version if current else 0) + 1
    new_text = set_version(block.body, version)
    parse_snippet_text(new_text, block.name)  # a malformed copy is not promoted
    destination = _destination(block.name, directory, force=True)
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_source(destination, new_text)
    ReceiptStore.for_path(file).save(block.name, new_text)
    updated = replace_block(text, block, render_block(block.name, version, new_text))
    write_source(file, updated, newline)
    return destination, version
