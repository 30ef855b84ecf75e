"""The command line, including bad input: one clear line, a non-zero exit, no partial output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS, expected_for

from corepress.cli.main import main


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr into stdout by default
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps them apart and has no such argument


def run(*args):
    result = _runner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_parse_prints_schema_json():
    code, out, _ = run("parse", SEEDS[0])
    data = json.loads(out)
    assert code == 0 and data["schema"] == "corepress.page/2" and data["paper"]["id"] == "yingkou"


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "corepress", "papers"], capture_output=True, text=True, check=True)
    assert "yingkou\t营口日报" in out.stdout


def test_parse_markdown_and_jsonl_and_output_file(tmp_path):
    code, out, _ = run("parse", SEEDS[3], "--format", "markdown")
    assert code == 0 and "## 夯实基础 转变作风 坚定不移推动高质量发展" in out
    target = tmp_path / "out.jsonl"
    code, out, _ = run("parse", ROOT / "seeds", "--format", "jsonl", "-o", target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert code == 0 and out == "" and len(lines) == len(SEEDS)
    assert [json.loads(line)["paper"]["id"] for line in lines] == [expected_for(s)["paper"] for s in SEEDS]


def test_forced_paper_and_unknown_paper():
    code, out, _ = run("parse", SEEDS[2], "--paper", "liaoning")
    assert code == 0 and json.loads(out)["paper"] == {**json.loads(out)["paper"], "id": "liaoning", "forced": True}
    code, _, err = run("parse", SEEDS[2], "--paper", "nosuchpaper")
    assert code == 2 and "unknown paper 'nosuchpaper'" in err and err.count("\n") == 1


def test_detect_shows_winner_confidence_and_margin():
    code, out, _ = run("detect", *SEEDS)
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(SEEDS)
    assert "\tyingkou\t" in lines[0] and "margin:" in lines[0]
    assert "\tunknown\t" in lines[2]


def test_plugins_lists_every_installed_plugin_with_hooks():
    code, out, _ = run("plugins", "--json")
    data = json.loads(out)
    names = {p["name"] for p in data["plugins"]}
    assert {"yingkou", "guilin", "liaoyuan", "liaoning"} <= names
    yingkou = next(p for p in data["plugins"] if p["name"] == "yingkou")
    assert "corepress_masthead" in yingkou["hooks"] and yingkou["papers"] == ["yingkou"]
    code, out, _ = run("plugins", "--all", "--hook", "corepress_repair_rules")
    assert "corepress.rules" in out and "yingkou" not in out


def test_score_command(tmp_path):
    pred = tmp_path / "pred.json"
    run("parse", SEEDS[1], "-o", pred)
    gold = SEEDS[1].with_name(SEEDS[1].stem + ".expected.json")
    code, out, _ = run("score", pred, gold, "--json")
    assert code == 0 and json.loads(out)["boundary"]["f1"] == 1.0


# --- bad input ----------------------------------------------------------------------------------
BAD = {
    "empty.txt": (b"", "is empty"),
    "blank.txt": ("  \n\u3000\n\t\n".encode(), "is empty"),
    "scan.pdf.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF file"),
    "photo.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image"),
    "nul.txt": ("正文\x00内容".encode(), "NUL bytes"),
    "noarticle.txt": ("2026年4月2日\n".encode(), "no article and no masthead"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_one_line_error_and_no_output_file(tmp_path, name):
    raw, message = BAD[name]
    page = tmp_path / name
    page.write_bytes(raw)
    target = tmp_path / "out.json"
    code, out, err = run("parse", page, "-o", target)
    assert code == 2
    assert err.count("\n") == 1 and str(page) in err and message in err
    assert not target.exists() and list(tmp_path.iterdir()) == [page]


def test_undecodable_bytes_with_a_forced_encoding(tmp_path):
    page = tmp_path / "gbk.txt"
    page.write_bytes("本报讯 记者王明报道 会议召开。".encode("gb18030"))
    code, _, err = run("parse", page, "--encoding", "utf-8")
    assert code == 2 and "cannot be decoded as utf-8" in err and str(page) in err
    code, _, err = run("parse", page, "--encoding", "no-such-codec")
    assert code == 2 and "unknown encoding" in err


def test_directory_without_pages(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    code, _, err = run("parse", tmp_path)
    assert code == 2 and "directory contains no page (" in err


def test_missing_file():
    code, _, err = run("parse", ROOT / "no-such-page.txt")
    assert code == 2 and "no such file" in err


def test_oversized_page(tmp_path, monkeypatch):
    monkeypatch.setattr("corepress.text_io.reading.MAX_BYTES", 1024)
    page = tmp_path / "big.txt"
    page.write_bytes(("新闻" * 2000).encode())
    code, _, err = run("parse", page)
    assert code == 2 and "more than the 1024 a page may have" in err


def test_fifty_megabyte_text_is_refused_before_parsing(tmp_path):
    page = tmp_path / "archive.txt"
    with open(page, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs on disk costs nothing
    code, _, err = run("parse", page)
    assert code == 2 and "archive.txt" in err and "a page may have" in err


def test_batch_reports_the_bad_file_and_parses_the_rest(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    target = tmp_path / "out.jsonl"
    code, _, err = run("parse", SEEDS[0], bad, SEEDS[1], "--format", "jsonl", "-o", target)
    assert code == 1
    assert err.count("\n") == 1 and "bad.txt" in err
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2


def test_a_failing_writer_leaves_no_partial_file(tmp_path):
    from corepress.corpus.batch import atomic_write

    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def write(fh):
        fh.write("partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, write)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_parse_many_and_parse_files(tmp_path):
    import corepress
    from corepress.corpus.batch import Failure, parse_files

    pages = list(corepress.parse_many([ROOT / "seeds"]))
    assert [p.paper.id for p in pages] == [expected_for(s)["paper"] for s in SEEDS]
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.4 \x00\x01")
    results = dict(parse_files([SEEDS[0], binary]))
    assert results[SEEDS[0]].paper.id == "yingkou"
    assert isinstance(results[binary], Failure) and "is a PDF file" in results[binary].message
