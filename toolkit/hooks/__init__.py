"""Thin, fast entry points for the pre-commit hooks and the git filter.

They parse arguments with argparse and import only ``toolkit.notebooks`` pieces that need
nothing beyond the standard library, so a hook process starts in tens of milliseconds.
"""
