"""``python -m corepress`` runs the command line."""

from corepress.cli import main

main(prog_name="corepress")
