"""toxfile.py finds pyenv's interpreters for tox and says which are missing."""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture
def toxfile(monkeypatch):
    try:
        import tox.plugin  # noqa: F401
    except ImportError:  # tests run without tox: its hook marker is all toxfile.py needs
        tox = types.ModuleType("tox")
        plugin = types.ModuleType("tox.plugin")
        plugin.impl = lambda f: f
        tox.plugin = plugin
        monkeypatch.setitem(sys.modules, "tox", tox)
        monkeypatch.setitem(sys.modules, "tox.plugin", plugin)
    spec = importlib.util.spec_from_file_location("corepress_toxfile", ROOT / "toxfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_pyenv(root: Path, versions) -> Path:
    for version in versions:
        minor = ".".join(version.split(".")[:2])
        binary = root / "versions" / version / "bin" / f"python{minor}"
        binary.parent.mkdir(parents=True)
        binary.write_text("#!/bin/sh\n", encoding="utf-8")
        binary.chmod(0o755)
    return root


def test_newest_release_of_each_wanted_minor_version(tmp_path, toxfile):
    root = fake_pyenv(tmp_path, ["3.9.7", "3.9.18", "3.10.13", "3.12.1", "3.13.0t", "3.8.18", "3.11.7"])
    (root / "versions" / "3.13-dev" / "bin").mkdir(parents=True)  # not a release
    (root / "versions" / "3.11.9" / "bin").mkdir(parents=True)  # no interpreter inside
    found = toxfile.pyenv_pythons(root)
    assert {minor: name for minor, (name, _) in found.items()} == {
        "3.9": "3.9.18", "3.10": "3.10.13", "3.11": "3.11.7", "3.12": "3.12.1",
    }
    assert found["3.9"][1] == root / "versions" / "3.9.18" / "bin"


def test_the_hook_puts_them_on_path_and_names_the_missing_ones(tmp_path, toxfile, monkeypatch, capsys):
    root = fake_pyenv(tmp_path / "pyenv", ["3.10.13", "3.11.7", "3.12.1", "3.13.0"])
    monkeypatch.setenv("PYENV_ROOT", str(root))
    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/bin", "/bin"]))
    monkeypatch.delenv("COREPRESS_TOX_PYENV", raising=False)
    monkeypatch.setenv("_COREPRESS_TOX_PYENV_DONE", "")  # restored (unset) after the test
    toxfile.tox_add_core_config(None, None)
    path = os.environ["PATH"].split(os.pathsep)
    assert path[:4] == [str(root / "versions" / v / "bin") for v in ("3.10.13", "3.11.7", "3.12.1", "3.13.0")]
    assert path[4:] == ["/usr/bin", "/bin"]
    note = capsys.readouterr().err
    assert note == (
        f"toxfile: CPython from pyenv ({root}): 3.10.13 3.11.7 3.12.1 3.13.0; "
        "not installed: 3.9 (tox skips the environments that need them)\n"
    )


def test_without_pyenv_or_when_turned_off_nothing_changes(tmp_path, toxfile, monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/usr/bin")
    monkeypatch.setenv("_COREPRESS_TOX_PYENV_DONE", "")  # restored (unset) after the test
    monkeypatch.setenv("COREPRESS_TOX_PYENV", "0")
    monkeypatch.setenv("PYENV_ROOT", str(fake_pyenv(tmp_path / "pyenv", ["3.11.7"])))
    toxfile.tox_add_core_config(None, None)
    assert os.environ["PATH"] == "/usr/bin"
    monkeypatch.delenv("COREPRESS_TOX_PYENV")
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "nothing"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(toxfile.shutil, "which", lambda name: None)
    toxfile.tox_add_core_config(None, None)
    assert os.environ["PATH"] == "/usr/bin" and capsys.readouterr().err == ""
