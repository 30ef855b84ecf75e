"""`corepress new-plugin` writes a distribution that installs and passes the contract suite."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from corepress.kit.scaffold import ScaffoldError, write_plugin


def install_in_fresh_venv(tmp_path: Path, target: Path) -> Path:
    """A new venv that sees this environment's packages (corepress, pytest) and has the plugin installed."""
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    parent = sysconfig.get_paths()["purelib"]
    # addsitedir also runs the parent's .pth files, which is how editable installs are found
    Path(site, "parent-env.pth").write_text(f"import site; site.addsitedir({parent!r})\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(target)], check=True)
    return python


def run_contract(python: Path, target: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(target / "tests")],
                          capture_output=True, text=True, cwd=cwd)


def test_generated_plugin_installs_in_a_fresh_venv_and_passes_the_contract(tmp_path):
    target = write_plugin(tmp_path, "wanbao", "测试晚报")
    python = install_in_fresh_venv(tmp_path, target)
    listed = subprocess.run([str(python), "-m", "corepress", "plugins"], capture_output=True, text=True, check=True)
    assert "wanbao 0.1.0 (corepress-wanbao) papers: wanbao" in listed.stdout
    tests = run_contract(python, target, tmp_path)
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout


def test_broken_expectation_fails_the_contract_naming_plugin_and_page(tmp_path):
    """A plugin whose expected page is wrong, or that steals another paper's page, fails loudly."""
    target = write_plugin(tmp_path, "thief", "小偷日报")
    module = target / "corepress_thief" / "__init__.py"
    source = module.read_text(encoding="utf-8")
    # steal 营口日报's pages and expect a wrong title
    module.write_text(source.replace('terms={},', 'terms={"营口": 5.0}, term_cap=50.0, content_cap=50.0,'), encoding="utf-8")
    expected = target / "corepress_thief" / "samples" / "thief_sample.expected.json"
    expected.write_text(expected.read_text(encoding="utf-8").replace("这里是示例标题", "别的标题"), encoding="utf-8")
    python = install_in_fresh_venv(tmp_path, target)
    tests = run_contract(python, target, tmp_path)
    assert tests.returncode != 0
    assert "[thief] thief_sample.txt:" in tests.stdout and "别的标题" in tests.stdout
    # 营口日报's own sample page is now claimed by the thief: the failure names both
    assert "[thief] claims other papers' pages:" in tests.stdout
    assert "yingkou's yingkou_2026-05-14.txt (detected as 'thief', expected 'yingkou')" in tests.stdout


@pytest.mark.parametrize("name", ["Bad-Name", "x", "1paper", "has space"])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(ScaffoldError):
        write_plugin(tmp_path, name, "某报")


def test_existing_directory_is_not_overwritten(tmp_path):
    write_plugin(tmp_path, "twice", "两次日报")
    with pytest.raises(ScaffoldError, match="already exists"):
        write_plugin(tmp_path, "twice", "两次日报")


def test_an_existing_plugin_folder_gets_a_free_name_suggested(tmp_path):
    write_plugin(tmp_path, "twice", "两次日报")
    (tmp_path / "corepress-twice2").mkdir()
    with pytest.raises(ScaffoldError) as excinfo:
        write_plugin(tmp_path, "twice", "两次日报")
    message = str(excinfo.value)
    assert "\n" not in message
    assert message == (
        f"{tmp_path / 'corepress-twice'} already exists; choose another name, "
        "e.g. 'twice3' (corepress new-plugin twice3 --paper-name 两次日报)"
    )
    assert write_plugin(tmp_path, "twice3", "两次日报").name == "corepress-twice3"  # the suggestion works


def test_new_plugin_in_a_folder_where_the_name_is_taken_is_one_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from corepress.cli.main import main

    monkeypatch.chdir(tmp_path)
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr into stdout by default
    except TypeError:
        runner = CliRunner()
    first = runner.invoke(main, ["new-plugin", "xiamen", "--paper-name", "厦门日报"])
    assert first.exit_code == 0 and (tmp_path / "corepress-xiamen").is_dir()
    again = runner.invoke(main, ["new-plugin", "xiamen", "--paper-name", "厦门日报"])
    assert again.exit_code == 2 and again.stdout == ""
    assert again.stderr == (
        "corepress: error: corepress-xiamen already exists; choose another name, "
        "e.g. 'xiamen2' (corepress new-plugin xiamen2 --paper-name 厦门日报)\n"
    )


def test_a_long_name_still_gets_a_valid_suggestion(tmp_path):
    from corepress.kit.scaffold import NAME, free_name

    name = "a" * 31
    (tmp_path / f"corepress-{name}").mkdir()
    suggestion = free_name(tmp_path, name)
    assert suggestion == "a" * 30 + "2" and NAME.match(suggestion)
