"""corepress issue: pages grouped into issues, ordered, and 下转/上接 jumps stitched.

The pages under tests/pages/issue/ were written for these tests (the text is ours):

* three/: one issue of three pages (第一版 要闻, 第二版 综合, 第三版 文化); 老街换新颜 runs from
  page 1 to page 2 to page 3, cut mid-sentence at both jumps; three.expected.txt is the article as written;
* same-page/: pages A1 and A2 of another day; both stories of A1 jump to A2, where each goes on under
  its headline repeated (城南湿地公园正式开园 shortened to 湿地公园正式开园), in the other order;
* missing/: a third day; page 1 jumps to page 3, which is not there, and page 2 holds a 上接第一版
  that no 下转 points to.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import attrs
import jsonschema
import pytest
from markdown_it import MarkdownIt
from test_cli import run

from corepress.corpus.issue import build_issues, headline_match, join_across
from corepress.corpus.issue_output import load_schema
from corepress.pipeline.pipeline import parse_path, parse_text
from corepress.values.model import PaperGuess

HERE = Path(__file__).parent / "pages" / "issue"
THREE, SAME_PAGE, MISSING = HERE / "three", HERE / "same-page", HERE / "missing"


def issue_json(*paths, extra=()):
    code, out, err = run("issue", *paths, *extra)
    data = json.loads(out)
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    return code, data, err


def articles_by_title(issue):
    return {a["title"]: a for a in issue["articles"]}


def test_three_pages_stitched_into_the_article_as_written():
    code, data, err = issue_json(THREE)
    assert code == 0 and err == "" and data["failed"] == []
    (issue,) = data["issues"]
    assert (issue["paper"], issue["date"]) == (None, "2025-05-08")
    assert [(p["number"], p["name"]) for p in issue["pages"]] == [("1", "要闻"), ("2", "综合"), ("3", "文化")]
    assert issue["unresolved"] == []
    article = articles_by_title(issue)["老街换新颜 居民笑开颜"]
    assert article["pages"] == ["1", "2", "3"]
    assert [(part["page"], part["article"]) for part in article["parts"]] == [("1", "a1"), ("2", "a1"), ("3", "a1")]
    assert article["reporters"] == ["林晓雨"]
    assert article["text"] == (HERE / "three.expected.txt").read_text(encoding="utf-8").strip()
    # the other stories of the issue stand alone; no continuation is listed on its own
    assert sorted(t for t in articles_by_title(issue) if t != "老街换新颜 居民笑开颜") == \
        ["全市春季植树活动圆满结束", "市图书馆举办读书月活动", "社区食堂开进小区"]
    assert len(issue["articles"]) == 4


def test_parts_point_at_their_pages():
    _, data, _ = issue_json(THREE)
    (article,) = [a for a in data["issues"][0]["articles"] if len(a["parts"]) > 1]
    covered = []
    for part in article["parts"]:
        text = Path(part["path"]).read_text(encoding="utf-8")
        covered.append("".join(text[s:e] for s, e in part["spans"]))
    # each part's spans hold its jump markers, and nothing of the page head or the next story
    assert "（下转第二版）" in covered[0] and "上接" not in covered[0] and "全市春季" not in covered[0]
    assert "（上接第一版）" in covered[1] and "（下转第三版）" in covered[1] and "社区食堂" not in covered[1]
    assert "（上接第二版）" in covered[2] and "下转" not in covered[2] and "第三版 文化" not in covered[2]
    first, second, third = (Path(p["path"]).read_text(encoding="utf-8") for p in article["parts"])
    s, e = article["parts"][2]["spans"][-1]
    assert third[s:e].endswith("王阿婆笑着说。")
    assert "又在低洼处加了排水口" in "".join(first[s:e] for s, e in article["parts"][0]["spans"])
    assert "每月还会组织居民议事会" in "".join(second[s:e] for s, e in article["parts"][1]["spans"])


def test_pages_given_in_any_order_are_ordered_by_number():
    paths = [THREE / "laojie-p03.txt", THREE / "laojie-p01.txt", THREE / "laojie-p02.txt"]
    _, data, _ = issue_json(*paths)
    assert [p["number"] for p in data["issues"][0]["pages"]] == ["1", "2", "3"]


def test_two_jumps_to_the_same_page_told_apart_by_their_headlines():
    code, data, err = issue_json(SAME_PAGE)
    assert code == 0 and err == ""
    (issue,) = data["issues"]
    assert [p["number"] for p in issue["pages"]] == ["A1", "A2"] and issue["unresolved"] == []
    wetland = articles_by_title(issue)["城南湿地公园正式开园"]
    night = articles_by_title(issue)["夜市经济点亮城市烟火气"]
    # on A2 the night-market part comes first (a1), the wetland part second (a2)
    assert [(p["page"], p["article"]) for p in wetland["parts"]] == [("A1", "a1"), ("A2", "a2")]
    assert [(p["page"], p["article"]) for p in night["parts"]] == [("A1", "a2"), ("A2", "a1")]
    # cut mid-sentence: one paragraph again; cut after a full stop: a new paragraph
    assert "他说，这片地方过去是荒滩，现在成了大家周末休闲的好去处。\n公园管理处" in wetland["text"]
    assert night["text"].split("\n")[-2:] == [
        "据市商务局统计，今年前五个月全市夜间消费额同比增长百分之十五。",
        "为规范夜市经营，市场监管部门对所有摊位实行亮证经营，并在每个夜市设立了投诉点。",
    ]
    assert len(issue["articles"]) == 3  # and 高温天气持续 注意防暑降温, alone


def test_two_jumps_without_a_headline_to_tell_them_apart_are_not_guessed(tmp_path):
    for path in SAME_PAGE.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name.endswith("a2.txt"):  # the repeated headlines taken away: only the markers remain
            text = text.replace("夜市经济点亮城市烟火气\n\n", "").replace("湿地公园正式开园\n\n", "")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    code, data, err = issue_json(tmp_path)
    assert code == 0
    (issue,) = data["issues"]
    problems = sorted((u["problem"], u["page"], u["article"]) for u in issue["unresolved"])
    assert problems == [("ambiguous", "A1", "a1"), ("ambiguous", "A1", "a2"),
                        ("no_jump_to", "A2", "a1"), ("no_jump_to", "A2", "a2")]
    assert all(len(a["parts"]) == 1 for a in issue["articles"])
    assert len(err.strip().splitlines()) == 4 and all(line.startswith("corepress: unresolved: ") for line in err.splitlines())


def test_a_jump_to_a_missing_page_and_a_continuation_nobody_jumps_to():
    code, data, err = issue_json(MISSING)
    assert code == 0
    (issue,) = data["issues"]
    assert [(u["problem"], u["page"], u["article"], u["target"]) for u in issue["unresolved"]] == [
        ("missing_page", "1", "a1", "3"),
        ("no_jump_to", "2", "a1", "1"),
    ]
    assert "page 3 is not among the issue's pages" in issue["unresolved"][0]["message"]
    assert err.splitlines() == [f"corepress: unresolved: {u['message']}" for u in issue["unresolved"]]
    assert all(len(a["parts"]) == 1 for a in issue["articles"])  # never joined on a guess
    assert len(issue["articles"]) == 4


def test_a_page_left_out_breaks_the_chain_on_both_sides():
    _, data, _ = issue_json(THREE / "laojie-p01.txt", THREE / "laojie-p03.txt")
    (issue,) = data["issues"]
    assert [(u["problem"], u["page"], u["target"]) for u in issue["unresolved"]] == [
        ("missing_page", "1", "2"),  # 下转第二版
        ("missing_page", "3", "2"),  # 上接第二版
    ]


def test_pages_of_different_days_are_grouped_not_mixed():
    code, data, _ = issue_json(THREE, SAME_PAGE, MISSING)
    assert code == 0
    dates = [(issue["date"], sorted(Path(p["path"]).parent.name for p in issue["pages"])) for issue in data["issues"]]
    assert dates == [("2025-05-08", ["three"] * 3), ("2025-05-09", ["missing"] * 2), ("2025-06-02", ["same-page"] * 2)]


def test_pages_of_different_papers_on_one_day_are_grouped_not_mixed():
    """Two papers the same day: each page 1 names its paper in its masthead (a plugin's paper); an inner
    page that names none cannot be told to belong to either, so it stays on its own."""
    front = ("{name}\n\n2025年5月8日\n星期四\n\n第1版\n\n")
    pages = [
        parse_text(front.format(name="营口日报") + "老街换新颜\n\n本报讯 记者昨日从市园林局获悉，全市义务植树活动圆满结束。\n"),
        parse_text(front.format(name="桂林日报") + "城区公交新开三条线路\n\n本报讯 市公交集团从本月起新开三条公交线路。\n"),
        parse_path(THREE / "laojie-p02.txt"),
    ]
    issues = build_issues(pages)
    assert [(i.paper, i.date, len(i.pages)) for i in issues] == sorted(
        [(pages[0].paper.id, "2025-05-08", 1), (pages[1].paper.id, "2025-05-08", 1)]) + [(None, "2025-05-08", 1)]
    assert pages[0].paper.id != pages[1].paper.id and None not in (pages[0].paper.id, pages[1].paper.id)


def test_an_inner_page_joins_the_one_paper_of_its_day():
    front = parse_text("营口日报\n\n2025年5月8日\n星期四\n\n第一版\n\n老街换新颜 居民笑开颜\n\n本报讯 记者林晓雨报道，老街改造完工，"
                       "又在低洼处加了排水口，（下转第二版）\n")
    inner = parse_path(THREE / "laojie-p02.txt")
    (issue,) = build_issues([inner, front])
    assert issue.paper == front.paper.id and [p.identity.number for p in issue.pages] == ["1", "2"]
    (stitched,) = [a for a in issue.articles if len(a.parts) > 1]
    assert stitched.paragraphs[0].endswith("又在低洼处加了排水口，如今再大的雨，巷子里也不见积水。")


def test_a_lone_page_taken_for_a_paper_draws_no_unknown_pages_into_it():
    """Without that paper's front page, a page detected as the paper may be a misreading: the
    unknown pages of the day stay in a group of their own."""
    pages = [parse_path(path) for path in sorted(THREE.glob("*.txt"))]
    guessed = attrs.evolve(pages[1], paper=PaperGuess("guilin", "桂林日报", 0.6, (("guilin", 0.6),)))
    issues = build_issues([pages[0], guessed, pages[2]])
    assert [(i.paper, [p.identity.number for p in i.pages]) for i in issues] == [("guilin", ["2"]), (None, ["1", "3"])]


def test_a_loop_of_jumps_loses_no_article():
    """A misprinted jump back (page 2 says 下转第一版 under the same headline) makes a loop; every
    article is still listed once."""
    one = parse_text("第一版\n\n老街换新颜\n\n本报讯 老街改造完工，又在低洼处加了排水口，（下转第二版）\n")
    two = parse_text("第二版\n\n老街换新颜\n\n（上接第一版）如今再大的雨，巷子里也不见积水，（下转第一版）\n")
    (issue,) = build_issues([one, two])
    assert [[(part.number, part.article.id) for part in a.parts] for a in issue.articles] == [[("1", "a1"), ("2", "a1")]]


def test_an_empty_or_unreadable_page_is_one_line_and_the_rest_goes_on(tmp_path):
    empty = tmp_path / "empty-p04.txt"
    empty.write_text("", encoding="utf-8")
    code, data, err = issue_json(THREE, empty, tmp_path / "absent.txt")
    assert code == 1
    assert [Path(f["path"]).name for f in data["failed"]] == ["empty-p04.txt", "absent.txt"]
    errors = [line for line in err.splitlines() if line.startswith("corepress: error: ")]
    assert len(errors) == 2 and len(err.splitlines()) == 2
    assert len(data["issues"]) == 1 and data["issues"][0]["unresolved"] == []
    code, _, err = run("issue", empty)
    assert code == 2 and len(err.splitlines()) == 1


def test_a_page_without_a_number_is_reported_in_an_issue_of_several(tmp_path):
    # page 3 without its page head, in a file whose name holds the date but no page number
    (tmp_path / "laojie-20250508-x.txt").write_text((THREE / "laojie-p03.txt").read_text(encoding="utf-8").split("\n", 2)[2],
                                                    encoding="utf-8")
    shutil.copy(THREE / "laojie-p01.txt", tmp_path)
    _, data, _ = issue_json(tmp_path)
    problems = {u["problem"] for u in data["issues"][0]["unresolved"]}
    assert "no_page_number" in problems and "missing_page" in problems


def test_page_from_name_numbers_pages_that_print_none(tmp_path):
    for name, number in (("laojie-p01.txt", "1"), ("laojie-p02.txt", "2"), ("laojie-p03.txt", "3")):
        text = (THREE / name).read_text(encoding="utf-8").split("\n", 2)[2]  # without the page head
        (tmp_path / f"laojie-{'一二三'[int(number) - 1]}.txt").write_text(text, encoding="utf-8")
    _, data, _ = issue_json(tmp_path)
    (issue,) = data["issues"]  # no number and no date: one group, which nothing orders
    assert [u["problem"] for u in issue["unresolved"]].count("no_page_number") == 3
    assert all(len(a["parts"]) == 1 for a in issue["articles"])
    _, data, _ = issue_json(tmp_path, extra=("--page-from-name", r"-(?P<page>\p{Han})\.txt$"))
    (issue,) = data["issues"]
    assert [(p["number"], p["source"]) for p in issue["pages"]] == [("1", "file_name"), ("2", "file_name"), ("3", "file_name")]
    (article,) = [a for a in issue["articles"] if len(a["parts"]) > 1]
    assert article["text"] == (HERE / "three.expected.txt").read_text(encoding="utf-8").strip()
    code, _, err = run("issue", tmp_path, "--page-from-name", "(")
    assert code == 2 and len(err.splitlines()) == 1


def test_jsonl_is_one_article_per_line():
    code, out, _ = run("issue", THREE, "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 4
    assert {r["date"] for r in records} == {"2025-05-08"}
    assert [r["pages"] for r in records] == [["1", "2", "3"], ["1"], ["2"], ["3"]]


def test_markdown_escapes_page_text(tmp_path):
    page = (THREE / "laojie-p01.txt").read_text(encoding="utf-8").replace(
        "全市春季植树活动圆满结束", "<script>alert(1)</script>植树[活动](javascript:alert(1))")
    (tmp_path / "laojie-p01.txt").write_text(page, encoding="utf-8")
    code, out, _ = run("issue", tmp_path, "--format", "markdown")
    assert code == 0
    html = MarkdownIt("commonmark").render(out)
    assert "<script" not in html and "href=" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;植树[活动](javascript:alert(1))" in html


def test_output_file_is_written_whole(tmp_path):
    target = tmp_path / "issue.json"
    target.write_text("old", encoding="utf-8")
    code, out, _ = run("issue", THREE, "-o", target)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "corepress.issue/1"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left
    code, _, err = run("issue", THREE, "-o", tmp_path)
    assert code == 2 and len(err.splitlines()) == 1 and "directory" in err


@pytest.mark.parametrize("ours, theirs, same", [
    ("城南湿地公园正式开园", "湿地公园正式开园", True),  # shortened
    ("老街换新颜 居民笑开颜", "老街换新颜", True),
    ("夜市经济点亮城市烟火气", "夜市经济点亮烟火气", True),  # begins alike for most of it
    ("城南湿地公园正式开园", "夜市经济点亮城市烟火气", False),
    ("老街", "老街换新颜", False),  # too short to say
])
def test_headline_match(ours, theirs, same):
    a, b = (parse_text(f"{t}\n\n本报讯 记者昨日获悉，一切顺利。\n").articles[0] for t in (ours, theirs))
    assert headline_match(a, b) is same


def test_join_across_a_jump():
    assert join_across("又在低洼处加了排水口，", "如今再大的雨") == "又在低洼处加了排水口，如今再大的雨"
    assert join_across("达到 5G", "Advanced 标准") == "达到 5G Advanced 标准"


def test_without_format_the_output_file_suffix_names_the_format(tmp_path):
    assert run("issue", THREE, "-o", tmp_path / "issue.md")[0] == 0
    assert (tmp_path / "issue.md").read_text(encoding="utf-8").startswith("# unknown paper · 2025-05-08")
    assert run("issue", THREE, "-o", tmp_path / "issue.jsonl")[0] == 0
    lines = (tmp_path / "issue.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 1 and all(json.loads(line)["date"] == "2025-05-08" for line in lines)
    assert run("issue", THREE, "--format", "json", "-o", tmp_path / "given.md")[0] == 0  # --format wins
    assert json.loads((tmp_path / "given.md").read_text(encoding="utf-8"))["schema"] == "corepress.issue/1"

