"""``corepress eval --draft``: snippet gold drafted from a parse, for a person to correct.

The pages here were written for these tests (tmp_path) or are the project's seeds; a
draft scored at once must find every parsed article again (F1 1 on every page).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from click.testing import CliRunner
from conftest import ROOT

from corepress.cli.main import main
from corepress.evaluation.draft import NOTE, body_start, draft_gold, draft_joins, dumps
from corepress.evaluation.evaluate import load_gold
from corepress.evaluation.snippet import GoldError, snippet_gold_from_dict

HARBOR = """港口新航线开通

本报讯 记者陈力报道 4月2日，市港口集团新开通一条直达东南亚的集装箱航线，每周往返两班。

据介绍，新航线投用后，本地外贸企业的货物运输时间可缩短三天左右，物流成本也将

随之下降。

老旧小区加装电梯提速

本报讯 记者林芳报道 今年以来，全市已有四十六个老旧小区加装电梯，惠及居民两千余户。

市住建部门表示，下一步将简化审批流程，让更多居民早日告别爬楼之苦。

夜市点亮城市烟火气

本报讯 记者吴悦报道 随着气温回升，城西夜市重新开张，小吃摊位和文创集市吸引了大批市民。
"""

SCHOOL = """新华社北京5月6日电（记者何平）教育部6日发布通知，要求各地做好今年中小学暑期安全教育工作。

通知强调，要加强防溺水、交通安全和食品安全等方面的宣传，家校协同守护学生平安。

乡村学校用上智慧教室

本报讯 记者高远报道 日前，县里十所乡村小学的智慧教室投入使用，孩子们通过屏幕和城里学生一起上课。
"""


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()


def cli(*args: Any) -> Tuple[int, str, str]:
    result = _runner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def lines(text: str) -> List[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "harbor.txt").write_text(HARBOR, encoding="utf-8")
    (folder / "school.txt").write_text(SCHOOL, encoding="utf-8")
    return folder


def read(path: Path) -> Dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def scores(*args: Any) -> Dict[str, Any]:
    code, out, err = cli("eval", "--json", *args)
    assert code == 0, err
    return json.loads(out)


# --- the draft itself ------------------------------------------------------------------------------
def test_draft_then_eval_gives_f1_one(pages: Path) -> None:
    code, out, err = cli("eval", "--draft", pages)
    assert code == 0 and err == ""
    assert lines(out)[-1] == "draft: 2 pages drafted, 0 skipped (gold exists), 0 errors"
    harbor = read(pages / "harbor.json")
    assert list(harbor) == ["seed", "draft", "note", "articles", "joins", "not_articles"]
    assert harbor["seed"] == "harbor.txt" and harbor["draft"] is True and harbor["note"] == NOTE
    assert [a["title"] for a in harbor["articles"]] == ["港口新航线开通", "老旧小区加装电梯提速", "夜市点亮城市烟火气"]
    first = harbor["articles"][0]
    assert first["body_start"] == "4月2日，市港口集团新开"  # after 本报讯 记者陈力报道
    assert first["body_end"] == ["，物流成本也将随之下降。"]
    assert first["title_alternatives"] == ["港口新航线开通"]
    assert harbor["joins"] == [["右，物流成本也将", "随之下降。"]]
    school = read(pages / "school.json")
    assert school["articles"][0]["body_start"] == "教育部6日发布通知，要求"  # after 新华社北京5月6日电（记者何平）
    assert snippet_gold_from_dict(school).draft is True and load_gold(pages / "school.json") == snippet_gold_from_dict(
        school, str(pages / "school.json")
    )

    report = scores(pages)
    assert [(p["page"].endswith(n), p["f1"], p["draft"]) for p, n in zip(report["pages"], ("harbor.txt", "school.txt"))] == [
        (True, 1.0, True),
        (True, 1.0, True),
    ]
    total = report["total"]
    assert (total["pages"], total["pages_draft"], total["pages_f1_1"]) == (2, 2, 2)
    assert total["titles"]["rate"] == 1.0 and total["joins_made"] == {"hit": 1, "total": 1, "rate": 1.0}
    code, out, _ = cli("eval", pages)
    assert code == 0
    assert any(line.split()[1] == "draft" for line in lines(out) if line.startswith(str(pages)))
    assert "drafts: 2 pages scored against an unchecked draft" in out


def test_draft_of_the_seeds_scores_f1_one(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    seeds = ROOT / "seeds"
    code, out, err = cli("eval", "--draft", seeds, "--gold", gold)
    assert code == 0 and err == ""
    names = sorted(p.stem for p in seeds.glob("*.txt"))
    assert sorted(p.stem for p in gold.glob("*.json")) == names and names
    assert not list(seeds.glob("*.json.*")) and not [p for p in gold.iterdir() if p.suffix != ".json"]  # no temp file left
    report = scores(seeds, "--gold", gold)
    assert [p["f1"] for p in report["pages"]] == [1.0] * len(names)
    assert all(p["gold_kind"] == "snippet" and p["draft"] for p in report["pages"])
    assert all(p["titles"]["rate"] == 1.0 for p in report["pages"])
    assert all(p["joins_made"]["hit"] == p["joins_made"]["total"] for p in report["pages"])
    assert report["total"]["pages_draft"] == len(names)
    assert sum(p["joins_made"]["total"] for p in report["pages"]) > 0  # the seeds have column breaks


def test_edited_draft_changes_the_score(pages: Path) -> None:
    cli("eval", "--draft", pages)
    gold = read(pages / "harbor.json")
    # A person trims the date off a start: still within the first characters, still found.
    gold["articles"][0]["body_start"] = "市港口集团新开通一条直达"
    del gold["draft"], gold["note"]
    (pages / "harbor.json").write_text(dumps(gold), encoding="utf-8")
    page = scores(pages / "harbor.txt")["pages"][0]
    assert (page["f1"], page["draft"], page["gold_kind"]) == (1.0, False, "snippet")
    # … then moves it to the article's second paragraph: too far in, so the article is missed
    # and the parsed one that holds it is spurious.
    gold["articles"][0]["body_start"] = "物流成本也将随之下降。"
    (pages / "harbor.json").write_text(dumps(gold), encoding="utf-8")
    report = scores(pages / "harbor.txt", "--show-misses")
    page = report["pages"][0]
    assert (page["matched"], page["predicted"], page["gold_articles"]) == (2, 3, 3)
    assert page["precision"] == page["recall"] == page["f1"] == pytest.approx(2 / 3)
    assert [m["kind"] for m in page["misses"]] == ["missed", "spurious"]
    assert page["misses"][0]["detail"].startswith("inside predicted a1")
    assert report["total"]["pages_draft"] == 0


def test_no_overwrite_without_force(pages: Path) -> None:
    (pages / "harbor.json").write_text('{"articles": []}\n', encoding="utf-8")
    code, out, err = cli("eval", "--draft", pages)
    assert code == 0
    assert lines(err) == [f"corepress: skipped: {pages / 'harbor.txt'}: has a gold ({pages / 'harbor.json'}); not overwritten without --force"]
    assert (pages / "harbor.json").read_text(encoding="utf-8") == '{"articles": []}\n'
    assert read(pages / "school.json")["draft"] is True
    assert lines(out)[-1] == "draft: 1 page drafted, 1 skipped (gold exists), 0 errors"
    before = (pages / "school.json").read_bytes()
    code, out, err = cli("eval", "--draft", pages)  # everything has gold now: nothing to do, still fine
    assert code == 0 and len(lines(err)) == 2
    code, out, err = cli("eval", "--draft", "--force", pages)
    assert code == 0 and err == ""
    assert read(pages / "harbor.json")["draft"] is True
    assert (pages / "school.json").read_bytes() == before  # the same parse gives the same bytes
    # An expected page is a gold too.
    (pages / "school.json").unlink()
    (pages / "school.expected.json").write_text("{}", encoding="utf-8")
    code, _, err = cli("eval", "--draft", pages / "school.txt")
    assert code == 0 and "school.expected.json" in err and not (pages / "school.json").exists()


def test_gold_dir_and_gold_file_arguments(pages: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    code, out, err = cli("eval", "--draft", pages / "harbor.txt", pages / "harbor.txt", "--gold", gold)
    assert code == 0 and err == "" and sorted(p.name for p in gold.iterdir()) == ["harbor.json"]
    assert not (pages / "harbor.json").exists()
    # A shell glob passes gold files too: one stands for its page, which then comes once.
    code, out, err = cli("eval", "--draft", "--force", gold / "harbor.json", pages / "harbor.txt")
    assert code == 0
    assert "no page of the same name" in err and lines(out)[-1].startswith("draft: 1 page drafted")
    (pages / "harbor.md").write_text(HARBOR, encoding="utf-8")
    code, out, err = cli("eval", "--draft", "--force", pages)
    assert code == 0 and len(lines(err)) == 1 and "already drafted from" in err


def test_folder_without_pages(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.csv").write_text("a,b\n", encoding="utf-8")
    code, out, err = cli("eval", "--draft", empty)
    assert code == 2
    assert len(lines(err)) == 1 and str(empty) in err and "no page" in err
    assert lines(out) == ["draft: 0 pages drafted, 0 skipped (gold exists), 1 error"]


def test_unparseable_page_is_one_line_and_the_others_are_drafted(pages: Path) -> None:
    (pages / "broken.txt").write_bytes(b"\x00\x01binary\xff")
    code, out, err = cli("eval", "--draft", pages)
    assert code == 0
    assert lines(err) == [f"corepress: error: {pages / 'broken.txt'}: contains NUL bytes: a binary file, not page text"]
    assert not (pages / "broken.json").exists() and (pages / "harbor.json").exists() and (pages / "school.json").exists()
    assert lines(out)[-1] == "draft: 2 pages drafted, 0 skipped (gold exists), 1 error"
    code, out, err = cli("eval", "--draft", "--json", "--force", pages)
    report = json.loads(out)
    assert code == 0 and err == "" and report["total"] == {"drafted": 2, "skipped": 0, "error": 1}
    assert [p["status"] for p in report["pages"]] == ["error", "drafted", "drafted"]


def test_options_that_do_not_go_together(pages: Path) -> None:
    code, _, err = cli("eval", "--force", pages)
    assert code == 2 and "--force only goes with --draft" in err
    code, _, err = cli("eval", "--draft", "--show-misses", pages)
    assert code == 2 and not list(pages.glob("*.json"))


def test_read_only_folder_is_an_error_line(pages: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    pages.chmod(0o555)
    try:
        code, _, err = cli("eval", "--draft", pages)
    finally:
        pages.chmod(0o755)
    assert code == 2 and len(lines(err)) == 2 and "cannot be written" in err


# --- the pieces ------------------------------------------------------------------------------------
def test_body_start_skips_a_lead_left_in_the_text() -> None:
    lead = {"kind": "lead", "text": "本报讯 记者王明报道", "spans": []}
    article = {"paragraphs": [{"text": "本报讯 记者王明报道 3月12日，全市春季义务植树活动启动。"}], "markers": [lead]}
    assert body_start(article) == "3月12日，全市春季义务"
    article["markers"] = []
    assert body_start(article) == "本报讯记者王明报道3月1"
    long_lead = {"kind": "lead", "text": "新" * 55}
    article = {"paragraphs": [{"text": "新" * 55 + "正文从这里开始，一直写下去。"}], "markers": [long_lead]}
    assert body_start(article) == "新" * 12  # skipping would leave the matcher's window


def test_joins_only_inside_a_paragraph() -> None:
    text = "标题\n\n前半句说到这\n\n里结束。"
    page = {
        "articles": [{"paragraphs": [{"text": "前半句说到这里结束。", "spans": [[4, 10], [12, 16]]}]}],
        "repairs": [{"rule": "join_column_break", "span": [10, 12]}, {"rule": "join_column_break", "span": [2, 4]}],
    }
    assert draft_joins(page, text) == [["前半句说到这", "里结束。"]]
    gold = draft_gold(page, text, "p.txt")
    assert snippet_gold_from_dict(gold).articles[0].body_start == ("前半句说到这里结束。",)


def test_draft_key_is_checked() -> None:
    with pytest.raises(GoldError, match="draft must be true or false"):
        snippet_gold_from_dict({"articles": [], "draft": "yes"})
    assert snippet_gold_from_dict({"articles": []}).draft is False
