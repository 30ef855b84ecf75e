"""corepress's pytest plugin costs nothing in pytest sessions that never use the contract suite."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from conftest import ROOT

SHIM = ROOT / "corepress" / "kit" / "pytest_plugin.py"

UNRELATED_TEST = '''
import sys

def test_unrelated():
    loaded = sorted(m for m in sys.modules if m.startswith("corepress"))
    print("LOADED", loaded)
    heavy = [m for m in loaded if m.startswith(("corepress.pipeline", "corepress.plugin_system", "corepress.rules"))]
    assert not heavy, heavy
'''

CONTRACT_TEST = '''
from corepress.kit.contract import PaperPluginContract


class TestYingkouContract(PaperPluginContract):
    plugin = "yingkou"
'''


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # keep this repository's settings out
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s", *args],
        capture_output=True, text=True, cwd=folder,
    )


def test_the_pytest11_entry_point_is_the_shim():
    entries = metadata.distribution("corepress").entry_points  # entry_points(group=…) needs Python 3.10
    (entry,) = [e for e in entries if e.group == "pytest11" and e.name == "corepress"]
    assert entry.value == "corepress.kit.pytest_plugin"


def test_the_shim_imports_only_the_standard_library():
    tree = ast.parse(SHIM.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported <= {"__future__", "sys", "typing"}, imported


def test_an_unrelated_pytest_session_loads_no_pipeline_and_no_plugin(tmp_path):
    (tmp_path / "test_unrelated.py").write_text(UNRELATED_TEST, encoding="utf-8")
    result = run_pytest(tmp_path, "test_unrelated.py")
    assert result.returncode == 0, result.stdout + result.stderr
    loaded = next(line for line in result.stdout.splitlines() if "LOADED " in line).split("LOADED ", 1)[1]
    # the shim itself, and the corepress package, which imports only its error class
    assert loaded == "['corepress', 'corepress._version', 'corepress.kit', 'corepress.kit.pytest_plugin', 'corepress.values', 'corepress.values.errors']"


def test_a_contract_class_is_still_parametrized_with_the_sample_pages(tmp_path):
    (tmp_path / "test_contract.py").write_text(CONTRACT_TEST, encoding="utf-8")
    result = run_pytest(tmp_path, "--collect-only", "-q", "test_contract.py")
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [line for line in result.stdout.splitlines() if "test_sample_matches_expected_page[" in line]
    assert ids and all(line.endswith(".txt]") for line in ids), result.stdout
    # without the shim nothing parametrizes the class: the per-sample tests are not there
    disabled = run_pytest(tmp_path, "--collect-only", "-q", "-p", "no:corepress", "test_contract.py")
    assert "test_sample_matches_expected_page[" not in disabled.stdout
