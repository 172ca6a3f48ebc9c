"""The snippet library engine: index, search, insert with provenance, status, diff, 3-way update.

Modules stay light (stdlib only) so ``toolkit snippet search`` starts fast; rich is imported only
where output is printed (in ``toolkit.cli.snippet``). The documented names load on first use;
static analysers and IDEs see the real functions through the ``TYPE_CHECKING`` imports below.
(``harvest``, the command's function, keeps its module's name: ``toolkit.snippets.harvest`` is
the module.)

Example:
    >>> from toolkit.snippets.model import parse_snippet_text
    >>> text = "'''Say hi.\\n\\nversion: 2\\n'''\\nprint(1)\\n"
    >>> parse_snippet_text(text, "demo/hi").version
    2
"""

from __future__ import annotations

from toolkit._lazy import lazy_exports

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `toolkit snippet search` starts fast
if TYPE_CHECKING:  # static analysers see the real names; runtime imports stay lazy
    from toolkit.snippets.harvest import Candidate as Candidate
    from toolkit.snippets.harvest import find_candidates as find_candidates
    from toolkit.snippets.insert import add_snippet as add_snippet
    from toolkit.snippets.library import Library as Library
    from toolkit.snippets.library import load_library as load_library
    from toolkit.snippets.model import MalformedSnippetError as MalformedSnippetError
    from toolkit.snippets.model import Snippet as Snippet
    from toolkit.snippets.model import parse_snippet_text as parse_snippet_text
    from toolkit.snippets.search import Hit as Hit
    from toolkit.snippets.search import SearchIndex as SearchIndex
    from toolkit.snippets.status import CopyStatus as CopyStatus
    from toolkit.snippets.status import scan as scan
    from toolkit.snippets.update import UpdateResult as UpdateResult
    from toolkit.snippets.update import update_path as update_path

_EXPORTS = {
    "Library": "library",
    "load_library": "library",
    "Snippet": "model",
    "MalformedSnippetError": "model",
    "parse_snippet_text": "model",
    "add_snippet": "insert",
    "CopyStatus": "status",
    "scan": "status",
    "UpdateResult": "update",
    "update_path": "update",
    "Candidate": "harvest",
    "find_candidates": "harvest",
    "SearchIndex": "search",
    "Hit": "search",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
