"""The ``corepress`` command line: :data:`main` is the click group; plugins add commands through a hook."""

from corepress.cli.main import main

__all__ = ["main"]
