"""``python -m treatywatch.cli`` runs the command line."""

from treatywatch.cli import main

main()
