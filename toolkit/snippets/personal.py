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

from toolkit._io import ensure_unchanged, file_state
from toolkit.errors import UsageError
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
from toolkit.snippets.imports import ImportContext, add_imports, atoms_of
from toolkit.snippets.library import Library
from toolkit.snippets.model import parse_snippet_file, parse_snippet_text, validate_name
from toolkit.snippets.place import rebuild_snippet
from toolkit.snippets.receipts import ReceiptStore, find_project_root
from toolkit.snippets.stamp import (
    Block,
    find_blocks,
    read_source,
    render_block,
    replace_block,
    strip_markers,
    write_source,
)


def destination(name: str, directory: Path | None, force: bool) -> Path:
    root = directory if directory is not None else writable_personal_dir()
    path = root.joinpath(*validate_name(name).split("/")).with_suffix(".py")
    if path.exists() and not force:
        raise UsageError(f"{path}: snippet {name!r} exists (use --force to replace it)")
    return path


def project_modules(file: Path) -> frozenset[str]:
    """Top-level modules that belong to the project ``file`` is in (its own package, src/)."""
    return ImportContext.for_file(file, find_project_root(file)).first_party


def refuse_project_imports(code: str, local: frozenset[str], where: str) -> None:
    """UsageError when ``code`` imports from the project itself (it would not run elsewhere)."""
    bad = [
        statement
        for statement in imports_in(code)
        if any(a.level or a.top in local for a in atoms_of(statement))
    ]
    if bad:
        raise UsageError(
            f"{where}: uses the project's own code ({'; '.join(bad)}); a snippet must run on "
            "its own: copy what it needs into it, or pass it in as an argument"
        )


def build_snippet_text(
    code: str,
    *,
    context_imports: list[str],
    summary: str | None,
    tags: list[str],
    local: frozenset[str] = frozenset(),
    where: str = "<code>",
) -> tuple[str, set[str]]:
    """Snippet text for ``code`` plus the names it uses but nothing defines.

    ``local`` names the project's own modules: importing from them is refused (see
    ``refuse_project_imports``), so they never reach ``requires:``.
    """
    if has_module_docstring(code):
        refuse_project_imports(code, local, where)
        return code if code.endswith("\n") else code + "\n", undefined_names(code)
    imports = needed_imports(code, context_imports)
    full = "\n".join([*imports, code])
    refuse_project_imports(full, local, where)
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
    target = destination(name, directory, force)
    local = project_modules(file)
    if function is not None:
        code = extract_function(source, function, where=str(file))
        text, _ = build_snippet_text(
            code,
            context_imports=imports_in(source),
            summary=summary,
            tags=tags or [],
            local=local,
            where=f"{file}:{function}",
        )
    else:
        text, _ = build_snippet_text(
            source,
            context_imports=[],
            summary=summary,
            tags=tags or [],
            local=local,
            where=str(file),
        )
    parse_snippet_text(text, name, path=target)  # refuse to write a malformed snippet
    target.parent.mkdir(parents=True, exist_ok=True)
    write_source(target, text)
    return target


def _hoisted_whole(file: Path, text: str, block: Block) -> str:
    """The whole snippet for a copy added ``--into`` a module: base header + copy's code.

    Imports the edited code now needs and the header lacks come from the module's own imports.
    """
    base = ReceiptStore.for_path(file).load(block.name, block.digest)
    if base is None:
        raise UsageError(
            f"{file}:{block.start + 1}: the receipt of {block.name!r} ({block.digest}) is missing "
            "from .toolkit/, so its docstring and imports cannot be rebuilt"
        )
    whole = rebuild_snippet(base, block.code)
    extra = needed_imports(whole, imports_in(text))
    return add_imports(whole, atoms_of("\n".join(extra)), ImportContext(line_length=100))


def promote(
    file: Path,
    library: Library,
    *,
    name: str | None = None,
    line: int | None = None,
    directory: Path | None = None,
) -> tuple[Path, int]:
    """Save the stamped copy in ``file`` as a new personal version; return (path, version).

    ``line`` (1-based, the start marker's line as status prints it) picks one of several
    copies of the same snippet in one file. A ``file`` saved meanwhile by another program is
    left as it is, and nothing is promoted (``FileChangedError``).
    """
    state = file_state(file)  # before reading: a change after it shows as a change
    text, newline = read_source(file)
    blocks = [
        b
        for b in find_blocks(text, where=str(file))
        if (name is None or b.name == name) and (line is None or b.start + 1 == line)
    ]
    if not blocks:
        what = f" {name!r}" if name else ""
        where = f" starting at line {line}" if line is not None else ""
        raise UsageError(f"{file}: no stamped snippet{what}{where} to promote")
    if len(blocks) > 1:
        spots = ", ".join(f"{file}:{b.start + 1} ({b.name})" for b in blocks)
        raise UsageError(f"{file}: several copies ({spots}); choose one as FILE:LINE")
    block = blocks[0]
    if block.has_conflict_markers:
        raise UsageError(f"{file}: snippet {block.name!r} has conflict markers; resolve first")
    validate_name(block.name)
    current = library.snippets.get(block.name)
    version = max(block.version, current.version if current else 0) + 1
    whole = _hoisted_whole(file, text, block) if block.hoisted else block.code
    new_text = set_version(whole, version)
    parse_snippet_text(new_text, block.name)  # a malformed copy is not promoted
    target = destination(block.name, directory, force=True)
    ensure_unchanged(file, state)  # the copy is rewritten last: check it before the library
    target.parent.mkdir(parents=True, exist_ok=True)
    write_source(target, new_text)
    promoted = parse_snippet_file(target, block.name, origin="personal")
    ReceiptStore.for_path(file).save(block.name, new_text, source=promoted)
    new_block = render_block(block.name, version, new_text, flags=block.flags)
    write_source(file, replace_block(text, block, new_block), newline, expect=state)
    return target, version
