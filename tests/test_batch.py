"""Batches as a corpus user runs them: streamed output, --jobs, Dask, time limits, resume, tables.

The runs go through ``python -m corepress`` in a subprocess, with a real plugin
installed (a dist-info folder on PYTHONPATH, found through the ``corepress``
entry-point group like any installed plugin) where a test needs one that hangs or
kills its process.  Nothing here measures time: the time limits are set far
below what the hanging plugin would take and far above what a page needs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS

PLUGIN = '''
"""A plugin that misbehaves on pages that ask for it (test only)."""
import os, signal, time
from corepress.api import hookimpl

@hookimpl
def corepress_classify_block(block, position, page):
    text = block.text.text
    if "停一停" in text:
        time.sleep(float(os.environ.get("CP_TEST_SLEEP", "600")))
    if "锁一锁" in text:  # as a C call that holds the interpreter: no alarm reaches it
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    if "断一断" in text:
        os._exit(7)
    return []
'''

BYTE_IDENTICAL_FORMATS = ["json", "jsonl", "markdown", "csv"]


@pytest.fixture(scope="module")
def stalling_plugin(tmp_path_factory):
    """A folder that, on PYTHONPATH, installs the plugin ``stall`` (version 1.0)."""
    root = tmp_path_factory.mktemp("site")
    (root / "cp_stall.py").write_text(PLUGIN, encoding="utf-8")
    info = root / "cp_stall-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cp-stall\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[corepress]\nstall = cp_stall\n", encoding="utf-8")
    return root


def corepress(*args, site=None, env=None, check=None, **kwargs):
    environment = dict(os.environ, **(env or {}))
    if site is not None:
        environment["PYTHONPATH"] = os.pathsep.join([str(site), environment.get("PYTHONPATH", "")])
    result = subprocess.run([sys.executable, "-m", "corepress", *map(str, args)], capture_output=True,
                            env=environment, timeout=600, **kwargs)
    if check is not None:
        assert result.returncode == check, result.stderr.decode()
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seed pages plus two generated pages in a sub-folder, and a page of each misbehaviour."""
    folder = tmp_path_factory.mktemp("corpus")
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    sub = folder / "more"
    sub.mkdir()
    (sub / "a.txt").write_text("全市春耕备耕工作会议召开\n\n本报讯 记者王明报道 4月1日，全市春耕备耕工作会议召开。\n", encoding="utf-8")
    (sub / "b.txt").write_text("城区新建三座口袋公园\n\n本报讯 记者李华报道 今年城区新建三座口袋公园，市民出门即可休闲。\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def serial_with_stall(corpus, stalling_plugin):
    """The corpus as one process writes it with the misbehaving plugin installed (it names the plugin):
    what a batch that fails only its culprit page writes for the rest."""
    return corepress("parse", corpus, "--format", "jsonl", site=stalling_plugin, check=0).stdout


def _page_with(tmp_path, name, cue):
    page = tmp_path / name
    page.write_text(f"一场会议\n\n本报讯 记者王明报道 会议{cue}召开。\n", encoding="utf-8")
    return page


# --- the same bytes, whatever the engine ---------------------------------------------------------------
@pytest.mark.parametrize("fmt", BYTE_IDENTICAL_FORMATS)
def test_jobs_output_is_byte_identical_to_serial(corpus, fmt):
    serial = corepress("parse", corpus, "--format", fmt, "-q", check=0).stdout
    pooled = corepress("parse", corpus, "--format", fmt, "-q", "--jobs", "2", check=0).stdout
    assert serial and pooled == serial
    if fmt == "jsonl":
        assert len(serial.decode().splitlines()) == len(SEEDS) + 2


def test_dask_output_is_byte_identical_to_serial(corpus, tmp_path):
    pytest.importorskip("dask.distributed")
    serial = corepress("parse", corpus, "--format", "jsonl", "-q", check=0).stdout
    result = corepress("parse", corpus, "--format", "jsonl", "--engine", "dask", "--jobs", "2", check=0)
    assert result.stdout == serial
    assert "corepress: dask: scheduler tcp://" in result.stderr.decode()  # a real LocalCluster, with its scheduler address


def test_dask_on_an_existing_cluster_needs_no_shared_files(corpus):
    """The pages go to the workers with their jobs: a relative path the workers could not open
    (their working folder is another) parses, and the records name it as given."""
    distributed = pytest.importorskip("dask.distributed")
    relative = dict(cwd=corpus.parent)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = corepress("parse", corpus.name, "--format", "jsonl", "-q", "--engine", "dask",
                           "--scheduler", cluster.scheduler_address, check=0, **relative)
    assert result.stdout == corepress("parse", corpus.name, "--format", "jsonl", "-q", check=0, **relative).stdout
    assert json.loads(result.stdout.splitlines()[0])["source"]["path"].startswith(corpus.name + "/")


def test_a_hanging_page_on_dask_is_reported_and_the_batch_goes_on(corpus, tmp_path, stalling_plugin, serial_with_stall):
    """Dask cannot stop a task: the task of all eight pages runs past their summed limits (16 s), and its
    pages are parsed again by this process's own worker, one at a time; only the stuck page fails."""
    pytest.importorskip("dask.distributed")
    stuck = _page_with(tmp_path, "stuck.txt", "停一停")
    result = corepress("parse", corpus, stuck, "--format", "jsonl", "--engine", "dask", "--jobs", "2",
                       "--page-timeout", "2", site=stalling_plugin, env={"CP_TEST_SLEEP": "25"}, check=1)
    err = result.stderr.decode().splitlines()
    assert err[1:] == [f"corepress: error: {stuck}: took longer than 2 s; its worker was stopped and replaced",
                       f"corepress: {len(SEEDS) + 3} pages, 1 failed, 0 skipped (done)"]
    assert result.stdout == serial_with_stall


def test_a_page_that_kills_its_dask_workers_is_reported_and_the_batch_goes_on(corpus, tmp_path, stalling_plugin, serial_with_stall):
    """Dask gives the task up once it has killed four workers; its pages are parsed again here, one to
    a worker process, and only the fatal page fails."""
    pytest.importorskip("dask.distributed")
    fatal = _page_with(tmp_path, "fatal.txt", "断一断")
    result = corepress("parse", fatal, corpus, "--format", "jsonl", "--engine", "dask", "--jobs", "2",
                       site=stalling_plugin, check=1)
    err = result.stderr.decode().splitlines()
    assert err[1].startswith(f"corepress: error: {fatal}: its worker process died") and len(err) == 3
    assert result.stdout == serial_with_stall


def test_an_unreachable_scheduler_is_one_line(corpus):
    pytest.importorskip("dask.distributed")
    result = corepress("parse", corpus, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", check=2,
                       env={"COREPRESS_SCHEDULER_TIMEOUT": "3"})
    err = result.stderr.decode().splitlines()
    assert err[0].startswith("corepress: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert "Traceback" not in result.stderr.decode()


# --- a page that hangs or kills its worker -----------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_hanging_page_is_reported_and_the_batch_goes_on(corpus, tmp_path, stalling_plugin, jobs):
    stuck = _page_with(tmp_path, "stuck.txt", "停一停")
    errors = tmp_path / "errors.jsonl"
    out = tmp_path / "out.jsonl"
    result = corepress("parse", corpus, stuck, "--format", "jsonl", "-o", out, "--jobs", jobs, "--page-timeout", "5",
                       "--errors", errors, site=stalling_plugin, check=1)
    err = result.stderr.decode().splitlines()
    assert err[0] == f"corepress: error: {stuck}: took longer than 5 s; stopped"
    assert err[-1] == f"corepress: {len(SEEDS) + 3} pages, 1 failed, 0 skipped (done)"
    assert [json.loads(line)["path"] for line in errors.read_text(encoding="utf-8").splitlines()] == [str(stuck)]
    written = [json.loads(line)["source"]["path"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(written) == len(SEEDS) + 2 and str(stuck) not in written


def test_a_page_no_alarm_stops_loses_its_worker_and_only_itself(corpus, tmp_path, stalling_plugin, serial_with_stall):
    """The page's task overruns its pages' summed limits (8 pages, 1 s each); the task's pages are then
    parsed one to a task, and only the locked page, killed at its own limit, fails."""
    locked = _page_with(tmp_path, "locked.txt", "锁一锁")
    result = corepress("parse", locked, corpus, "--format", "jsonl", "--jobs", "2", "--page-timeout", "1",
                       site=stalling_plugin, check=1)
    err = result.stderr.decode().splitlines()
    assert err[0] == f"corepress: error: {locked}: took longer than 1 s; its worker was stopped and replaced"
    assert err[-1] == f"corepress: {len(SEEDS) + 3} pages, 1 failed, 0 skipped (done)"
    assert result.stdout == serial_with_stall  # the other pages, in order, the same bytes


def test_a_page_that_kills_its_worker_is_reported_and_the_batch_goes_on(corpus, tmp_path, stalling_plugin):
    fatal = _page_with(tmp_path, "fatal.txt", "断一断")
    result = corepress("parse", fatal, corpus, "--format", "jsonl", "--jobs", "2", site=stalling_plugin, check=1)
    err = result.stderr.decode().splitlines()
    assert err[0].startswith(f"corepress: error: {fatal}: its worker process died") and len(err) == 2
    assert len(result.stdout.decode().splitlines()) == len(SEEDS) + 2


def test_a_killed_batch_resumes_where_it_stopped(corpus, tmp_path, stalling_plugin):
    """SIGKILL mid-batch keeps every finished page; --resume parses only the rest, and the result is the same."""
    stuck = _page_with(tmp_path, "zz-stuck.txt", "停一停")  # sorted after the corpus: parsed last
    out = tmp_path / "out.jsonl"
    env = {"CP_TEST_SLEEP": "600"}
    command = [sys.executable, "-m", "corepress", "parse", str(corpus), str(stuck), "--format", "jsonl", "-o", str(out), "-q"]
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(stalling_plugin), os.environ.get("PYTHONPATH", "")]), **env)
    process = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # wait for the pages before the stuck one
            if out.exists() and out.read_bytes().count(b"\n") == len(SEEDS) + 2:
                break
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    kept = out.read_text(encoding="utf-8").splitlines()
    assert len(kept) == len(SEEDS) + 2
    result = corepress("parse", corpus, stuck, "--format", "jsonl", "-o", out, "--resume",
                       site=stalling_plugin, env={"CP_TEST_SLEEP": "0"}, check=0)
    assert result.stderr.decode().splitlines()[-1] == f"corepress: {len(SEEDS) + 3} pages, 0 failed, {len(SEEDS) + 2} skipped (done)"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:-1] == kept and json.loads(lines[-1])["source"]["path"] == str(stuck)


# --- resume -----------------------------------------------------------------------------------------------
def test_resume_drops_a_line_cut_short_and_reparses_pages_of_another_producer(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    corepress("parse", corpus, "--format", "jsonl", "-o", out, "-q", check=0)
    whole = out.read_bytes()
    lines = whole.decode().splitlines(keepends=True)
    older = json.loads(lines[1])
    older["producer"]["corepress"] = "0.0.1"  # a record an older corepress wrote
    cut = lines[0] + json.dumps(older, ensure_ascii=False) + "\n" + lines[2] + lines[3][:40]
    out.write_text(cut, encoding="utf-8")
    result = corepress("parse", corpus, "--format", "jsonl", "-o", out, "--resume", check=0)
    assert result.stderr.decode().splitlines()[-1] == f"corepress: {len(SEEDS) + 2} pages, 0 failed, 2 skipped (done)"
    redone = out.read_text(encoding="utf-8").splitlines()
    assert redone[0] == lines[0].rstrip("\n") and json.loads(redone[1])["producer"]["corepress"] == "0.0.1"
    current = [line for line in redone if '"corepress": "0.0.1"' not in line]  # the stale record stays, a new one follows
    assert sorted(current) == sorted(line.rstrip("\n") for line in lines) and len(redone) == len(lines) + 1


def test_resume_refuses_a_file_that_is_not_page_records(corpus, tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text('{"a": 1}\n', encoding="utf-8")
    result = corepress("parse", corpus, "--format", "jsonl", "-o", out, "--resume", check=2)
    assert result.stderr.decode().startswith(f"corepress: error: {out}: --resume: a line is not a corepress page record")
    assert out.read_text(encoding="utf-8") == '{"a": 1}\n'


def test_a_folder_of_json_one_file_per_page_resumes(corpus, tmp_path):
    folder = tmp_path / "pages"
    corepress("parse", corpus, "-o", f"{folder}/", "-q", check=0)
    files = sorted(folder.iterdir())
    assert len(files) == len(SEEDS) + 2
    first = json.loads(files[0].read_text(encoding="utf-8"))
    assert files[0].name == f"{Path(first['source']['path']).stem}.{first['source']['sha256'][:12]}.json"
    files[0].unlink()
    result = corepress("parse", corpus, "-o", folder, "--resume", check=0)
    assert result.stderr.decode().splitlines()[-1].endswith(f"0 failed, {len(SEEDS) + 1} skipped (done)")
    assert sorted(folder.iterdir()) == files


# --- tables -----------------------------------------------------------------------------------------------
def test_parquet_tables_read_by_duckdb_and_pandas_and_resume(corpus, tmp_path):
    pytest.importorskip("pyarrow")
    duckdb = pytest.importorskip("duckdb")
    pd = pytest.importorskip("pandas")
    folder = tmp_path / "tables"
    corepress("parse", corpus, "--format", "parquet", "-o", folder, "-q", "--jobs", "2", check=0)
    pages = json.loads(corepress("parse", corpus, "--format", "json", "-q", check=0).stdout)
    articles = pd.read_parquet(folder / "articles")
    assert len(articles) == sum(len(p["articles"]) for p in pages)
    first = pages[0]["articles"][0]
    row = articles[(articles.source_path == pages[0]["source"]["path"]) & (articles.article == first["id"])].iloc[0]
    assert (row.title, row.text, row.reporters) == (first["title"], first["text"], "、".join(first["reporters"]))
    counted = duckdb.sql(f"select paper, count(*) from read_parquet('{folder}/pages/*.parquet') group by paper").fetchall()
    assert sum(n for _, n in counted) == len(pages)
    dates = duckdb.sql(f"select distinct date from read_parquet('{folder}/articles/*.parquet') where paper = 'yingkou'").fetchall()
    assert dates == [("2026-04-02",)]
    result = corepress("parse", corpus, "--format", "parquet", "-o", folder, "--resume", check=0)
    assert result.stderr.decode().splitlines()[-1].endswith(f"0 failed, {len(pages)} skipped (done)")
    refused = corepress("parse", corpus, "--format", "parquet", "-o", folder, check=2)
    assert b"add --resume" in refused.stderr


def test_csv_articles_and_pages_read_by_pandas(corpus, tmp_path):
    pd = pytest.importorskip("pandas")
    out, pages_csv = tmp_path / "articles.csv", tmp_path / "pages.csv"
    corepress("parse", corpus, "--format", "csv", "-o", out, "--pages-csv", pages_csv, "-q", check=0)
    articles = pd.read_csv(out, dtype=str, keep_default_na=False)
    pages = json.loads(corepress("parse", corpus, "-q", check=0).stdout)
    assert len(articles) == sum(len(p["articles"]) for p in pages)
    texts = {(a["id"], p["source"]["path"]): a["text"] for p in pages for a in p["articles"]}
    assert all(texts[(r.article, r.source_path)] == r.text for r in articles.itertuples())  # newlines survive quoting
    assert len(pd.read_csv(pages_csv)) == len(pages)


# --- the command line around a batch ----------------------------------------------------------------------
def test_standard_input_is_a_page(tmp_path):
    text = SEEDS[0].read_bytes()
    result = corepress("parse", "-", "--format", "jsonl", input=text, check=0)
    page = json.loads(result.stdout)
    assert page["source"]["path"] == "-" and page["paper"]["id"] == "yingkou"


def test_no_progress_bar_when_standard_error_is_not_a_terminal(corpus):
    err = corepress("parse", corpus, "--format", "jsonl", check=0).stderr.decode()
    assert err == f"corepress: {len(SEEDS) + 2} pages, 0 failed, 0 skipped (done)\n"
    assert corepress("parse", corpus, "--format", "jsonl", "-q", check=0).stderr == b""


def test_progress_bar_on_a_terminal(corpus):
    """Under a pseudo-terminal the bar is drawn (and taken away), and the summary follows."""
    import pty

    leader, follower = pty.openpty()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "corepress", "parse", str(corpus), "--format", "jsonl"],
                                   stdout=sink, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait()
    os.close(leader)
    assert process.returncode == 0
    total = len(SEEDS) + 2
    assert b"parsing " in seen and f"0/{total}".encode() in seen and f"{total}/{total}".encode() in seen
    assert b"pages/s" in seen  # the rate
    assert seen.rstrip().endswith(f"{len(SEEDS) + 2} pages, 0 failed, 0 skipped (done)".encode())


def test_exit_code_2_when_no_page_could_be_parsed(tmp_path):
    errors = tmp_path / "errors.jsonl"
    result = corepress("parse", tmp_path / "missing.txt", tmp_path / "gone", "--errors", errors, check=2)
    assert result.stdout == b""
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 2


def test_a_plugin_writer_cannot_take_the_parquet_name():
    import types

    from corepress.api import OutputWriter, hookimpl
    from corepress.plugin_system.errors import PluginError
    from corepress.plugin_system.manager import Plugins

    module = types.ModuleType("fake_parquet")
    module.corepress_output_writers = hookimpl(lambda: [OutputWriter("parquet", lambda pages, stream: None)])
    with pytest.raises(PluginError, match="'parquet' of 'fake' is built into corepress parse"):
        Plugins(entry_points=False, extra=[("fake", module)]).output_writers()


def test_detect_json_is_one_record_per_page():
    from conftest import expected_for

    result = corepress("detect", *SEEDS, "--json", "--explain", check=0)
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["path"] for r in records] == [str(s) for s in SEEDS]
    for record, seed in zip(records, SEEDS):
        assert record["paper"] == expected_for(seed)["paper"]  # the paper a person wrote down for the page
        assert record["evidence"] and record["candidates"][0]["score"] == max(c["score"] for c in record["candidates"])
        assert record["paper"] in (None, record["candidates"][0]["id"])  # none: no paper likely enough
