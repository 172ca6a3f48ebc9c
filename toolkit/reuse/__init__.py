"""Find the work you repeat across projects and notebooks, and measure the compounding.

``scan`` indexes ``.py`` files and notebook code cells, groups copies into clone classes (exact,
renamed, near-miss), ties them to the snippet library, and counts reuse per project;
``history`` draws the same figures month by month from git.

Example:
    >>> from toolkit.reuse import scan
    >>> callable(scan)
    True
"""

from __future__ import annotations

from toolkit.reuse.clones import CloneClass, Member, find_clones
from toolkit.reuse.scanner import Figures, ScanReport, scan

__all__ = ["CloneClass", "Figures", "Member", "ScanReport", "find_clones", "scan"]
