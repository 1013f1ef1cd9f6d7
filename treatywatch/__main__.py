"""``python -m treatywatch`` runs the command line."""

from treatywatch.cli import main

main()
