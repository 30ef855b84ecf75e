"""corepress's ``pytest11`` entry point: a shim that costs nothing until the contract suite is used.

pytest loads every installed ``pytest11`` plugin in every session, so this module
is imported wherever corepress is installed, also by projects that never heard
of it.  It imports nothing beyond :mod:`sys` (and the ``corepress`` package,
which loads no plugin and no pipeline).  The contract suite itself,
:mod:`corepress.kit.contract`, with the pipeline and the paper
plugins behind it, is imported by the test module that subclasses
:class:`~corepress.kit.contract.PaperPluginContract`; only then is
there a contract class to parametrize, and this hook hands the work to it.
"""

from __future__ import annotations

import sys
from typing import Any

CONTRACT = "corepress.kit.contract"


def pytest_generate_tests(metafunc: Any) -> None:
    if metafunc.cls is None:
        return
    contract = sys.modules.get(CONTRACT)
    if contract is None:  # no test module imported the suite, so no class can be a contract class
        return
    contract.pytest_generate_tests(metafunc)
