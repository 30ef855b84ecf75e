"""corepress's built-in reader and writers, registered as the built-in plugin ``corepress.plugin_system.builtin_io``.

They are not part of the generic rules: blocking ``corepress.rules`` still reads and writes.
"""

from __future__ import annotations

from typing import Sequence

from corepress.plugin_system.hookspecs import hookimpl
from corepress.values.hooktypes import InputReader, OutputWriter


@hookimpl
def corepress_input_readers() -> Sequence[InputReader]:
    from corepress.text_io.serialize import TEXT_READER

    return [TEXT_READER]


@hookimpl
def corepress_output_writers() -> Sequence[OutputWriter]:
    from corepress.text_io.serialize import WRITERS

    return WRITERS
