"""The command line, including bad input: one clear line, a non-zero exit, no partial output."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path

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


SUMMARY = re.compile(r"corepress: [\d ]+ pages?, \d+ failed, \d+ skipped \((done|interrupted)\)")


def without_summary(err: str) -> str:
    """Standard error less the batch's closing summary line, which must be there, last, once."""
    lines = err.splitlines(keepends=True)
    assert lines and SUMMARY.fullmatch(lines[-1].rstrip("\n")), err
    return "".join(lines[:-1])


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


def test_without_format_the_output_file_suffix_names_the_format(tmp_path):
    two = SEEDS[:2]
    code, _, _ = run("parse", *two, "-o", tmp_path / "pages.jsonl", "--quiet")
    lines = (tmp_path / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    assert code == 0 and len(lines) == 2 and all(json.loads(line)["schema"].startswith("corepress.page/") for line in lines)
    code, _, _ = run("parse", *two, "-o", tmp_path / "ARTICLES.CSV", "--quiet")
    assert code == 0 and (tmp_path / "ARTICLES.CSV").read_text(encoding="utf-8").startswith("paper,")
    code, _, _ = run("parse", SEEDS[3], "-o", tmp_path / "page.md", "--quiet")
    assert code == 0 and "## 夯实基础 转变作风 坚定不移推动高质量发展" in (tmp_path / "page.md").read_text(encoding="utf-8")
    # a suffix that names no format, and no -o at all: one JSON document, as before
    code, _, _ = run("parse", *two, "-o", tmp_path / "pages.out", "--quiet")
    assert code == 0 and isinstance(json.loads((tmp_path / "pages.out").read_text(encoding="utf-8")), list)
    # --format given: it wins over the suffix
    code, _, _ = run("parse", *two, "--format", "json", "-o", tmp_path / "array.jsonl", "--quiet")
    assert code == 0 and isinstance(json.loads((tmp_path / "array.jsonl").read_text(encoding="utf-8")), list)
    # and --resume continues a .jsonl file without being told its format
    code, _, err = run("parse", *SEEDS[:3], "-o", tmp_path / "pages.jsonl", "--resume")
    assert code == 0 and len((tmp_path / "pages.jsonl").read_text(encoding="utf-8").splitlines()) == 3 and "2 skipped" in err


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
    "noarticle.txt": ("2026年4月2日\n".encode(), "no article, no masthead and no advert"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_one_line_error_and_no_output_file(tmp_path, name):
    raw, message = BAD[name]
    page = tmp_path / name
    page.write_bytes(raw)
    target = tmp_path / "out.json"
    code, out, err = run("parse", page, "-o", target)
    assert code == 2
    assert err.endswith("corepress: 1 page, 1 failed, 0 skipped (done)\n")
    err = without_summary(err)
    assert err.count("\n") == 1 and str(page) in err and message in err
    assert not target.exists() and list(tmp_path.iterdir()) == [page]


def test_an_advert_page_is_a_page_not_a_failure(tmp_path):
    # what an e-paper archive holds for a page of adverts: its label alone.  Unlike a page where nothing
    # is recognised (above), it is written, its text in dropped, with a warning on standard error.
    page = tmp_path / "p16.txt"
    page.write_text("广告\n", encoding="utf-8")
    target = tmp_path / "out.json"
    code, _, err = run("parse", page, "-o", target)
    assert code == 0 and "no article found (a masthead or adverts only)" in err
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["articles"] == [] and [d["reason"] for d in written["dropped"]] == ["advert"]


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
    assert err.endswith("corepress: 3 pages, 1 failed, 0 skipped (done)\n")
    err = without_summary(err)
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


# --- bad paths next to good ones, and bad outputs ---------------------------------------------------
GOOD_PAGE = "全市春耕备耕工作会议召开\n\n本报讯 记者王明报道 4月1日，全市春耕备耕工作会议召开。\n"


def one_line_errors(err: str, count: int) -> list:
    if "skipped (" in err:  # parse's closing summary (the other commands print none)
        err = without_summary(err)
    lines = err.splitlines()
    assert len(lines) == count and err.count("\n") == count, err
    assert all(line.startswith(("corepress: error: ", "corepress: warning: ")) for line in lines), err
    assert "Traceback" not in err
    return lines


@pytest.fixture
def good(tmp_path):
    page = tmp_path / "good.txt"
    page.write_text(GOOD_PAGE, encoding="utf-8")
    return page


@pytest.mark.parametrize("command", ["parse", "detect"])
def test_a_missing_path_next_to_good_files_is_reported_and_skipped(tmp_path, good, command):
    missing = tmp_path / "missing.txt"
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    code, out, err = run(command, missing, good, empty_dir, "--format" if command == "parse" else "--explain",
                         *(["jsonl"] if command == "parse" else []))
    assert code == 1
    lines = one_line_errors(err, 2)
    assert lines[0] == f"corepress: error: {missing}: no such file or directory"
    assert lines[1].startswith(f"corepress: error: {empty_dir}: directory contains no page (")
    assert str(good) in out
    code, _, err = run(command, missing, empty_dir)
    assert code == 2 and len(one_line_errors(err, 2)) == 2


@pytest.mark.parametrize("command", ["parse", "detect"])
def test_an_unreadable_file_next_to_good_files_is_reported_and_skipped(tmp_path, good, command, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_PAGE, encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(self):  # root reads any file: simulate what chmod 000 does to everyone else
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = run(command, locked, good)
    assert code == 1 and str(good) in out
    assert one_line_errors(err, 1) == [f"corepress: error: {locked}: cannot be read: Permission denied"]
    code, out, err = run(command, locked)
    assert code == 2 and out == "" and len(one_line_errors(err, 1)) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission(tmp_path, good):
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_PAGE, encoding="utf-8")
    locked.chmod(0)
    code, _, err = run("parse", locked, good)
    assert code == 1 and "locked.txt: cannot be read: Permission denied" in err


def test_a_broken_symlink_is_reported(tmp_path, good):
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    code, _, err = run("parse", link, good)
    assert code == 1 and one_line_errors(err, 1) == [f"corepress: error: {link}: is a broken symbolic link"]


def test_output_into_a_missing_folder(tmp_path, good):
    target = tmp_path / "no" / "such" / "out.json"
    code, out, err = run("parse", good, "-o", target)
    assert code == 2 and out == ""
    assert one_line_errors(err, 1) == [f"corepress: error: {target}: cannot be written: folder {target.parent} does not exist"]


def test_output_into_a_read_only_folder(tmp_path, good, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "out.json"
    real_access = os.access
    # root may write anywhere; a read-only mount refuses even root: os.access says so
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder else real_access(p, mode, **kw))
    code, out, err = run("parse", good, "-o", target)
    assert code == 2 and out == "" and not target.exists()
    assert one_line_errors(err, 1) == [f"corepress: error: {target}: cannot be written: folder {folder} is not writable"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_into_a_read_only_folder_for_real(tmp_path, good):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run("parse", good, "-o", folder / "out.json")
    finally:
        folder.chmod(0o755)
    assert code == 2 and "is not writable" in err and err.count("\n") == 1


def test_a_write_that_fails_late_is_one_line_and_leaves_the_old_file(tmp_path, good, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("corepress.corpus.batch.tempfile.mkstemp", no_space)
    code, _, err = run("parse", good, "-o", target)
    assert code == 2
    assert one_line_errors(err, 1) == [f"corepress: error: {target}: cannot be written: No space left on device"]
    assert target.read_text(encoding="utf-8") == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "out.json"]


@pytest.mark.parametrize("kind", ["directory", "fifo", "device", "link-to-device"])
def test_output_must_be_a_regular_file(tmp_path, good, kind):
    target = tmp_path / "target"
    if kind == "directory":
        target.mkdir()
        what = "is a directory"
    elif kind == "fifo":
        os.mkfifo(target)
        what = "is a FIFO (named pipe)"
    elif kind == "device":
        target = Path(os.devnull)
        what = "is a character device"
    else:
        target.symlink_to(os.devnull)
        what = "is a character device"
    code, out, err = run("parse", good, "--format", "markdown", "-o", target)  # json -o FOLDER writes a file per page
    assert code == 2 and out == ""
    (line,) = one_line_errors(err, 1)
    assert line.startswith(f"corepress: error: {target}") and line.endswith(f"{what}; -o writes regular files only")


def test_output_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path, good):
    real = tmp_path / "data" / "pages.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    code, _, err = run("parse", good, "-o", link)
    assert code == 0 and without_summary(err) == ""
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text(encoding="utf-8"))["schema"] == "corepress.page/2"
    assert sorted(p.name for p in real.parent.iterdir()) == ["pages.json"]  # no temporary file left
    dangling = tmp_path / "next.json"
    dangling.symlink_to(tmp_path / "data" / "new.json")
    code, _, _ = run("parse", good, "-o", dangling)
    assert code == 0 and dangling.is_symlink() and (tmp_path / "data" / "new.json").is_file()


def test_output_file_modes(tmp_path, good):
    old_mask = os.umask(0o027)
    try:
        new = tmp_path / "new.json"
        assert run("parse", good, "-o", new)[0] == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o640  # 0666 less the umask, not mkstemp's 0600
        existing = tmp_path / "existing.json"
        existing.write_text("old", encoding="utf-8")
        existing.chmod(0o604)
        assert run("parse", good, "-o", existing)[0] == 0
        assert stat.S_IMODE(existing.stat().st_mode) == 0o604 and existing.read_text(encoding="utf-8") != "old"
    finally:
        os.umask(old_mask)


SLOW_WRITER = r"""
import sys, time
import corepress.text_io.serialize as serialize
from corepress.values.hooktypes import OutputWriter

def slow(pages, stream):
    stream.write("half a page")
    stream.flush()
    print("writing", flush=True)
    time.sleep(120)  # the test kills the process long before this ends
    stream.write("the rest")

serialize.WRITERS[0] = OutputWriter("json", slow, "slow")
from corepress.cli.main import main
main(["parse", sys.argv[1], "-o", sys.argv[2]])
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_the_write_removes_the_temporary_file(tmp_path, good, signame):
    signum = getattr(signal, signame)
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(good), str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout.readline() == "writing\n"  # the temporary file exists and holds half a page
        assert len([p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]) == 1
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signum and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "out.json"]


def test_usage_errors_are_one_line():
    code, out, err = run("parse")
    assert code == 2 and out == ""
    (line,) = one_line_errors(err, 1)
    assert re.fullmatch(r"corepress: error: Missing argument 'PATHS\.\.\.' \(see '\S+ parse --help'\)", line), line
    code, _, err = run("parse", SEEDS[0], "--no-such-option")
    assert code == 2 and one_line_errors(err, 1)[0].startswith("corepress: error: No such option")
    code, _, err = run("no-such-command")
    assert code == 2 and len(one_line_errors(err, 1)) == 1


@pytest.mark.parametrize("command", [(), ("parse",), ("detect",)])
def test_exit_codes_are_in_the_help(command):
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "Exit codes: 0" in out and "1 some inputs failed" in " ".join(out.split()) and "2 none could be parsed" in " ".join(out.split())


def test_the_command_gives_numerical_libraries_one_thread_a_process_unless_the_user_set_them(monkeypatch):
    from corepress.cli.main import ONE_THREAD_PER_PROCESS

    for name in ONE_THREAD_PER_PROCESS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")  # the user's own setting stands
    assert _runner().invoke(main, ["--version"]).exit_code == 0
    assert os.environ["OPENBLAS_NUM_THREADS"] == os.environ["OMP_NUM_THREADS"] == "1"
    assert os.environ["MKL_NUM_THREADS"] == "4"


# (some interpreters start with objects frozen already: 3.12 does; what counts is what the run adds)
_HEAP_PROBE = """
import gc, sys
from corepress.cli.main import main
sys.argv = ["corepress"] + sys.argv[1:]
before = gc.get_freeze_count()
try:
    main()
except SystemExit as exc:
    print(exc.code, gc.isenabled(), gc.get_freeze_count() > before)
"""


def _probe(code, *args):
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=False, timeout=120)
    return done.stdout.split()


def test_the_command_keeps_what_its_plugins_load_out_of_the_collector_and_leaves_the_collector_on(tmp_path):
    # a batch: what was loaded is frozen (corepress.corpus.heap), and the collector is on again
    assert _probe(_HEAP_PROBE, "parse", *SEEDS, "-o", tmp_path / "out.jsonl", "--quiet") == ["0", "True", "True"]
    # stopped before its plugins loaded: nothing frozen, and the collector on as it was
    assert _probe(_HEAP_PROBE, "--no-such-option") == ["2", "True", "False"]


def test_a_batch_worker_freezes_after_its_first_page_and_a_program_calling_parse_text_is_left_alone():
    seed = SEEDS[0]
    worker = (
        "import gc, sys; from corepress.corpus.engines import Job, parse_job;"
        " from corepress.values.hooktypes import ParseOptions; before = gc.get_freeze_count();"
        " out = parse_job(Job(0, sys.argv[1], ParseOptions())); print(out.failure, gc.isenabled(), gc.get_freeze_count() > before)"
    )
    assert _probe(worker, seed) == ["None", "True", "True"]
    program = (
        "import gc, sys, corepress; before = gc.get_freeze_count();"
        " corepress.parse_text(open(sys.argv[1], encoding='utf-8').read()); print(gc.isenabled(), gc.get_freeze_count() == before)"
    )
    assert _probe(program, seed) == ["True", "True"]
