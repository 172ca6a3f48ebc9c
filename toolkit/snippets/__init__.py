"""The snippet library engine: index, search, insert with provenance, status, diff, 3-way update.

Modules stay light (stdlib only) so ``toolkit snippet search`` starts fast; rich is imported only
where output is printed (in ``toolkit.cli.snippet``).

Example:
    >>> from toolkit.snippets.model import parse_snippet_text
    >>> text = "'''Say hi.\\n\\nversion: 2\\n'''\\nprint(1)\\n"
    >>> parse_snippet_text(text, "demo/hi").version
    2
"""
