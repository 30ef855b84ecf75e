"""A batch's long-lived heap, kept out of Python's cyclic garbage collector.

A process that parses a batch (the ``corepress`` command, each ``--jobs`` worker, each Dask
worker) imports corepress and its plugins, loads their models and fills their tables once, and
keeps all of it to the end: tens of thousands of objects that are never garbage, which every
collection of an older generation walks again (a page's own values are freed by reference
counting, and the collector is off while a page is parsed: :func:`corepress.pipeline.pipeline.cyclic_gc_paused`).
``gc.freeze`` moves what a process holds at a point out of every later collection.  Measured
on 200 pages through ``corepress parse`` (the collector's own time, reported by ``gc.callbacks``):
46 → 21 ms with corepress-learned installed, 19 → 12 ms without.

Only the command and the batch engines call these: a program that imports corepress and calls
:func:`corepress.parse_text` keeps its collector as it set it.  What is frozen is never collected,
so a process freezes twice at most (after its plugins load, after its first page).
"""

from __future__ import annotations

import gc

_held = False  # the command switched the collector off until its plugins are loaded
_first_page_done = False


def hold_until_loaded() -> None:
    """The command's start: no collection while corepress's plugins are imported and loaded
    (each collection during the imports walked what the imports before had made)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def plugins_loaded() -> None:
    """What the command holds once its plugins are loaded stays for the run: frozen, and the
    collector on again (only if :func:`hold_until_loaded` switched it off)."""
    if _held:
        gc.freeze()
        release()


def release() -> None:
    """The command ends: the collector on again if it is still held (a usage error, ``--help``)."""
    global _held
    if _held:
        _held = False
        gc.enable()


def first_page_parsed() -> None:
    """After a process's first page: what plugins load on first use (a model, its tables, the
    caches a page fills) stays for the run too.  Later calls do nothing."""
    global _first_page_done
    if not _first_page_done:
        _first_page_done = True
        gc.freeze()
