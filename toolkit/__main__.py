"""``python -m toolkit`` runs the ``toolkit`` command."""

from toolkit.cli.launch import main

main()
