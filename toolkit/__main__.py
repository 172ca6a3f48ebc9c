"""``python -m toolkit`` runs the ``toolkit`` command."""

from toolkit.cli.main import main

main()
