"""``python -m corepress`` runs the command line."""

from corepress.cli.main import main

main(prog_name="corepress")
