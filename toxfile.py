"""tox's in-tree plugin (tox loads ``toxfile.py`` next to ``tox.ini``): pyenv's interpreters, found.

tox looks interpreters up by name (``python3.9`` …) on ``PATH``, and pyenv's shims
answer only for the versions selected with ``pyenv global``/``local``/``shell``: on
a pyenv machine ``python3 -m tox`` would skip most of CPython 3.9–3.13 although
pyenv has them.  So, when pyenv is there, this plugin puts the ``bin`` folder of
the newest installed patch release of each of them in front of ``PATH`` (tox's
own, before any environment is made) and says on standard error which ones it
found and which pyenv lacks; tox then skips the environments of a missing one and
says so (``py39: SKIP``, "could not find python interpreter").  Without pyenv it
does nothing.  Set ``COREPRESS_TOX_PYENV=0`` to turn it off.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from tox.plugin import impl

WANTED = ("3.9", "3.10", "3.11", "3.12", "3.13")
_RELEASE = re.compile(r"^(3\.\d+)\.(\d+)$")  # CPython releases only: no 3.13.0t, 3.12-dev, pypy, virtualenvs


def pyenv_root() -> Optional[Path]:
    """``$PYENV_ROOT``, else what ``pyenv root`` says, else ``~/.pyenv``, if it holds versions."""
    candidates: List[str] = []
    if os.environ.get("PYENV_ROOT"):
        candidates.append(os.environ["PYENV_ROOT"])
    exe = shutil.which("pyenv")
    if exe:
        try:
            out = subprocess.run([exe, "root"], capture_output=True, text=True, timeout=30, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            candidates.append(out)
    candidates.append(str(Path.home() / ".pyenv"))
    for candidate in candidates:
        if (Path(candidate) / "versions").is_dir():
            return Path(candidate)
    return None


def pyenv_pythons(root: Path) -> Dict[str, Tuple[str, Path]]:
    """For each wanted minor version, the newest installed release and its ``bin`` folder."""
    best: Dict[str, Tuple[int, str, Path]] = {}
    for entry in (root / "versions").iterdir():
        m = _RELEASE.match(entry.name)
        if not m or m.group(1) not in WANTED:
            continue
        binary = entry / "bin" / f"python{m.group(1)}"
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            continue
        patch = int(m.group(2))
        if m.group(1) not in best or patch > best[m.group(1)][0]:
            best[m.group(1)] = (patch, entry.name, entry / "bin")
    return {minor: (name, folder) for minor, (_, name, folder) in best.items()}


@impl
def tox_add_core_config(core_conf, state) -> None:  # noqa: ANN001 - tox's own types
    if os.environ.get("COREPRESS_TOX_PYENV", "1") == "0" or os.environ.get("_COREPRESS_TOX_PYENV_DONE"):
        return
    os.environ["_COREPRESS_TOX_PYENV_DONE"] = "1"  # once per run, also when tox provisions itself
    root = pyenv_root()
    if root is None:
        return
    found = pyenv_pythons(root)
    folders = [str(folder) for minor in WANTED if minor in found for _, folder in [found[minor]]]
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p not in folders]
    os.environ["PATH"] = os.pathsep.join(folders + path)
    have = " ".join(found[minor][0] for minor in WANTED if minor in found) or "none"
    missing = [minor for minor in WANTED if minor not in found]
    note = f"toxfile: CPython from pyenv ({root}): {have}"
    if missing:
        note += f"; not installed: {', '.join(missing)} (tox skips the environments that need them)"
    print(note, file=sys.stderr, flush=True)
