"""The receipt a generated project keeps so it can be updated later, under ``.toolkit/``.

``.toolkit/template.json`` (small, readable, worth reviewing in a diff):
the template (name, location, version, fingerprint), the answers, and a manifest of every
rendered file: path -> sha256 and executable bit.

``.toolkit/template-base.json``: the rendered base itself (text as text, other bytes as base64),
so an update merges against exactly what was written, never against a re-render of an old
template version that may no longer render the same (or at all).

``.cruft.json`` beside them carries the same answers in cruft's format, so cruft can read them.

Example:
    >>> from toolkit.scaffold.snapshot import FileEntry, Snapshot
    >>> base = Snapshot({"a": FileEntry(b"1")})
    >>> r = Receipt({"name": "t", "location": "builtin"}, {"x": "1"}, base)
    >>> Receipt.from_json(r.to_json(), r.base_json()).base.files["a"].data
    b'1'
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError
from toolkit.scaffold.snapshot import CRUFT_FILE, RECEIPT_DIR, FileEntry, Snapshot

SCHEMA = 1
RECEIPT_FILE = f"{RECEIPT_DIR}/template.json"
BASE_FILE = f"{RECEIPT_DIR}/template-base.json"


@dataclass(frozen=True)
class Receipt:
    """Template identity, answers, and the rendered base of a project."""

    template: dict[str, Any]
    answers: dict[str, Any]
    base: Snapshot

    def to_json(self) -> str:
        """The text of ``.toolkit/template.json``."""
        manifest = {
            path: {"sha256": entry.digest[7:], "executable": entry.executable}
            for path, entry in sorted(self.base.files.items())
        }
        payload = {
            "schema": SCHEMA,
            "note": "Written by `toolkit new` / `toolkit update`; do not edit by hand.",
            "template": self.template,
            "answers": self.answers,
            "files": manifest,
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def base_json(self) -> str:
        """The text of ``.toolkit/template-base.json``."""
        files: dict[str, dict[str, str]] = {}
        for path, entry in sorted(self.base.files.items()):
            if entry.is_text:
                files[path] = {"text": entry.data.decode("utf-8")}
            else:
                files[path] = {"base64": base64.b64encode(entry.data).decode("ascii")}
        return json.dumps({"schema": SCHEMA, "files": files}, indent=1, ensure_ascii=False) + "\n"

    def cruft_json(self) -> str:
        """The answers in cruft's ``.cruft.json`` format."""
        location = self.template.get("location", "builtin")
        payload = {
            "template": location,
            "commit": self.template.get("commit"),
            "checkout": None,
            "context": {"cookiecutter": {**self.answers, "_template": location}},
            "directory": None,
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, receipt_text: str, base_text: str, where: str = "receipt") -> Receipt:
        """Parse the two files; a damaged receipt is one clear error naming the file."""
        try:
            receipt = json.loads(receipt_text)
            base = json.loads(base_text)
            files = {}
            for path, meta in receipt["files"].items():
                stored = base["files"][path]
                data = (
                    stored["text"].encode("utf-8")
                    if "text" in stored
                    else base64.b64decode(stored["base64"])
                )
                files[path] = FileEntry(data, bool(meta.get("executable")))
                if files[path].digest[7:] != meta["sha256"]:
                    raise ValueError(f"stored base of {path} does not match its hash")
            return cls(dict(receipt["template"]), dict(receipt["answers"]), Snapshot(files))
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{where}: damaged template receipt ({exc})") from None

    def write(self, project: Path) -> None:
        """Write the receipt files into ``project`` (base first, the manifest last)."""
        from toolkit._io import atomic_write_text

        (project / RECEIPT_DIR).mkdir(exist_ok=True)
        atomic_write_text(project / BASE_FILE, self.base_json())
        atomic_write_text(project / CRUFT_FILE, self.cruft_json())
        atomic_write_text(project / RECEIPT_FILE, self.to_json())


def has_receipt(project: Path) -> bool:
    """True when ``project`` carries a toolkit template receipt."""
    return (project / RECEIPT_FILE).is_file()


def read_receipt(project: Path) -> Receipt:
    """The receipt of ``project``, or a :class:`UsageError` saying how to adopt it."""
    receipt_path = project / RECEIPT_FILE
    if not receipt_path.is_file():
        raise UsageError(
            f"{project}: no {RECEIPT_FILE} (not made by `toolkit new`); "
            "adopt it with `toolkit update --adopt KEY=VALUE...` giving its answers"
        )
    base_path = project / BASE_FILE
    if not base_path.is_file():
        raise UsageError(f"{base_path}: missing; the receipt cannot be used without it")
    return Receipt.from_json(
        receipt_path.read_text(encoding="utf-8"),
        base_path.read_text(encoding="utf-8"),
        str(receipt_path),
    )
