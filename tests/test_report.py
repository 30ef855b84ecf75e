"""corepress report (and align --format html): what the HTML holds, read back through an HTML parser.

The browser test (test_report_browser.py) checks the same report drawn by Chromium; these
tests need nothing but the standard library's parser, so they run everywhere.
"""

from __future__ import annotations

import hashlib
import io
import re
from html.parser import HTMLParser
from typing import Dict, Iterator, List, Optional

import pytest
from conftest import SEEDS
from test_cli import run

import corepress
from corepress.report import render_report
from corepress.report.assets import SCRIPT
from corepress.report.marks import Region, article_anchor, nest

VOID = {"meta", "br", "img", "input", "link", "hr", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: Dict[str, Optional[str]], parent: Optional["Node"]) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: List[object] = []  # Node or str

    @property
    def classes(self) -> List[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator["Node"]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: Optional[str] = None, cls: Optional[str] = None) -> List["Node"]:
        return [n for n in self.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]

    def by_id(self, ident: str) -> "Node":
        found = [n for n in self.walk() if n.attrs.get("id") == ident]
        assert len(found) == 1, (ident, len(found))
        return found[0]


class Tree(HTMLParser):
    """The document as the HTML parser reads it: elements, their attributes, and text (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.here = self.root
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.here)
        self.here.children.append(node)
        if tag not in VOID:
            self.here = node

    def handle_endtag(self, tag):
        assert self.here.tag == tag, f"</{tag}> closes <{self.here.tag}>"
        self.here = self.here.parent

    def handle_data(self, data):
        self.here.children.append(data)

    def handle_comment(self, data):
        raise AssertionError(f"a comment in the report: {data!r}")


def key_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# A page written here: a masthead printed letter-spaced, two articles, a column break inside the
# first one's body, and text that would be markup if it were not escaped.
HOSTILE_PAGE = (
    "营 口 日 报\n2026年4月2日 星期四\n\n"
    "<script>alert(1)</script>新城区\"供暖\"提前启动\n\n"
    "本报讯 记者王明报道 本市今年供暖提前启动，<a href=\"javascript:alert(2)\">点此</a> 各小区室温达标。--> 供热公司表示，\n\n"
    "将持续做好保障工作。\n\n"
    "第二条新闻'标题'在这里\n\n"
    "本报讯 记者李华报道 市图书馆延长开放时间，方便读者 & 学生借阅。<!-- 注释\n"
)
HOSTILE_NAME = "\"><img src=x onerror=alert(1)>.txt"


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / HOSTILE_NAME
    path.write_text(HOSTILE_PAGE, encoding="utf-8")
    out = tmp_path / "report.html"
    code, _, err = run("report", path, "--paper", "yingkou", "-o", out)
    assert code == 0, err
    return path, Tree(out.read_text(encoding="utf-8")).root


def test_the_source_pane_is_the_page_text_character_for_character(hostile):
    _, doc = hostile
    source = doc.by_id(f"page-{key_of(HOSTILE_PAGE)}-source")
    assert source.text() == HOSTILE_PAGE


def test_one_numbered_region_per_article_holding_its_title(hostile):
    _, doc = hostile
    key = key_of(HOSTILE_PAGE)
    regions = doc.by_id(f"page-{key}-source").find_all(cls="article")
    assert [r.attrs["id"] for r in regions] == [f"page-{key}-article-a1", f"page-{key}-article-a2"]
    assert [r.attrs["data-n"] for r in regions] == ["1", "2"]
    titles = [[t.text() for t in r.find_all(cls="f-title")] for r in regions]
    assert titles == [["<script>alert(1)</script>新城区\"供暖\"提前启动"], ["第二条新闻'标题'在这里"]]
    assert regions[0].text().startswith("<script>") and regions[0].text().endswith("将持续做好保障工作。")
    assert regions[1].text().endswith("<!-- 注释")


def test_masthead_lines_and_repairs_are_marked(hostile):
    _, doc = hostile
    source = doc.by_id(f"page-{key_of(HOSTILE_PAGE)}-source")
    # 营 口 日 报: the letters are the masthead line, the spaces between them the repair took out
    assert "".join(m.text() for m in source.find_all(cls="masthead")) == "营口日报2026年4月2日 星期四"
    repairs = source.find_all(cls="repair")
    letter_spacing = [r for r in repairs if r.attrs["data-rule"] == "collapse_letter_spacing"]
    assert "".join(r.text() for r in letter_spacing) == "营 口 日 报"
    assert letter_spacing[0].attrs["title"] == "repair collapse_letter_spacing: “营␣口␣日␣报” → “营口日报”"
    joins = [r for r in repairs if "join" in r.classes]
    assert [(r.attrs["data-rule"], r.text()) for r in joins] == [("join_column_break", "\n\n")]
    assert joins[0].parent.attrs["id"] == f"page-{key_of(HOSTILE_PAGE)}-article-a1"  # inside the article it joins


def test_the_page_is_only_text_in_the_dom(hostile):
    """Markup in the page, in its file name and in its titles never becomes an element or an attribute."""
    path, doc = hostile
    tags = {n.tag for n in doc.walk()}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "div", "span", "main",
                    "section", "p", "table", "tr", "th", "td", "a", "aside", "dl", "dt", "dd", "ol", "li", "script", "b"}, tags
    assert [s.text() for s in doc.find_all("script")] == [SCRIPT]
    for node in doc.walk():
        assert not [name for name in node.attrs if name.startswith("on")], (node.tag, node.attrs)
        assert not (node.attrs.get("href") or "").lower().startswith("javascript:"), node.attrs
    assert doc.find_all("title")[0].text() == f"corepress report: {path}"
    assert doc.find_all("h2")[0].text() == f"1. {path}"
    sheet = doc.by_id(f"sheet-page-{key_of(HOSTILE_PAGE)}-article-a1")
    assert sheet.find_all("dd", cls="field-title")[0].text() == "<script>alert(1)</script>新城区\"供暖\"提前启动"
    assert "<a href=\"javascript:alert(2)\">点此</a>" in sheet.find_all("dd", cls="field-paragraphs")[0].text()


def test_the_seed_page_dropped_text_shows_its_reason():
    """Read from seeds/000: the kicker 许昆林在沈阳调研航空产业发展时强调 is printed twice and the
    column tag 树立和践行正确政绩观 closes the page, both set aside."""
    page = corepress.parse(SEEDS[0])
    source = Tree(render_report([page])).root.by_id(f"page-{page.source.sha256[:12]}-source")
    dropped = [(d.attrs["title"], d.text()) for d in source.find_all(cls="dropped")]
    assert dropped == [("dropped: repeated_kicker", "许昆林在沈阳调研航空产业发展时强调"), ("dropped: column_tag", "树立和践行正确政绩观")]
    assert len(source.find_all(cls="article")) == len(page.articles) == 7


def test_regions_nest_or_stay_apart():
    regions = nest([Region(0, 0, 10), Region(1, 5, 15), Region(2, 12, 20), Region(3, 0, 0)])
    assert regions == (Region(0, 0, 10), Region(3, 0, 0), Region(1, 5, 10), Region(2, 12, 20))


def test_anchor_of_an_id_with_other_characters_is_hex():
    assert article_anchor("abc", "a1") == "page-abc-article-a1"
    assert article_anchor("abc", "甲 1") == "page-abc-article-x" + "甲 1".encode().hex()


def test_several_pages_have_a_page_list_and_a_missing_one_is_one_line(tmp_path):
    out = tmp_path / "r.html"
    code, _, err = run("report", SEEDS[0], tmp_path / "missing.txt", SEEDS[1], "-o", out)
    assert code == 1
    assert err.splitlines() == [f"corepress: error: {tmp_path / 'missing.txt'}: no such file or directory"]
    doc = Tree(out.read_text(encoding="utf-8")).root
    nav = doc.find_all("nav")[0]
    # issue by issue, as corepress issue orders them: by paper id, guilin (seeds/001) before yingkou (seeds/000)
    assert [li.children[0] for li in nav.find_all("ol")[0].children] == ["桂林日报 · date unknown", "营口日报 · 2026-04-02"]
    keys = [corepress.parse(p).source.sha256[:12] for p in (SEEDS[1], SEEDS[0])]
    assert [a.attrs["href"] for a in nav.find_all("a")] == [f"#page-{k}" for k in keys]


def test_nothing_parsed_or_an_unwritable_output_writes_nothing(tmp_path):
    out = tmp_path / "r.html"
    code, _, err = run("report", tmp_path / "missing.txt", "-o", out)
    assert code == 2 and not out.exists()
    code, _, err = run("report", SEEDS[0], "-o", tmp_path / "no-such-folder" / "r.html")
    assert code == 2 and err.startswith("corepress: error: ") and "does not exist" in err and len(err.splitlines()) == 1


def test_align_html_links_members_and_readings_into_the_report(tmp_path):
    pytest.importorskip("datasketch")
    report, clusters = tmp_path / "report.html", tmp_path / "align.html"
    assert run("report", *SEEDS, "-o", report)[0] == 0
    assert run("align", *SEEDS, "--format", "html", "--report", "report.html", "-o", clusters)[0] == 0
    ids = {n.attrs["id"] for n in Tree(report.read_text(encoding="utf-8")).root.walk() if "id" in n.attrs}
    doc = Tree(clusters.read_text(encoding="utf-8")).root
    sections = doc.find_all("section", cls="cluster")
    assert [s.find_all("h2")[0].text() for s in sections] == ["1. 科技创新实现新突破", "2. 我国将开展基层医疗质量改善三年行动"]
    member_links = [a.attrs["href"] for a in sections[0].find_all("table", cls="members")[0].find_all("a")]
    assert len(member_links) == 6  # each of the three printings: its page and its article
    for href in member_links:
        target, anchor = href.split("#")
        assert target == "report.html" and anchor in ids
    texts = {str(p): p.read_text(encoding="utf-8") for p in SEEDS}
    keys = {key_of(t): t for t in texts.values()}
    thorium = [a for a in sections[0].find_all("a") if a.text() == "钍"]
    assert len(thorium) == 1  # 营口日报's 钍基, against 社基 in the longest printing
    found = re.fullmatch(r"report\.html#page-([0-9a-f]{12})-chars-(\d+)-(\d+)", thorium[0].attrs["href"])
    assert found, thorium[0].attrs["href"]
    assert keys[found[1]][int(found[2]) - 1:int(found[3]) + 1] == "从钍基"


def test_align_html_without_report_links_nothing_and_escapes(tmp_path):
    pytest.importorskip("datasketch")
    from corepress.corpus.align import align, members_of
    from corepress.report.clusters import html_writer

    body = ("新春佳节将至，本市各大商场、农贸市场年货供应充足，价格总体平稳。记者走访发现，蔬菜、肉类、水产品等货源充裕，"
            "部分商品还推出节日优惠。市场监管部门表示，春节期间将加强巡查，严厉打击哄抬价格等违法行为。")
    pages = [corepress.parse_text(f"<b>年货</b>市场供应充足\n\n本报讯 记者王明报道 {body}\n", paper="generic"),
             corepress.parse_text(f"年货市场\"供应\"充足\n\n本报讯 记者李华报道 {body.replace('本市', '全市')}\n", paper="generic")]
    out = io.StringIO()
    html_writer(pages, None)(align(members_of(pages)), out)
    doc = Tree(out.getvalue()).root
    assert not doc.find_all("a") and not doc.find_all("b")
    assert [td.text() for td in doc.find_all("td") if "年货" in td.text()] == ["<b>年货</b>市场供应充足", "年货市场\"供应\"充足"]


def test_the_report_layer_never_imports_the_rules():
    """The layering (docs/architecture.md): report/ reads values and the corpus layer (align, issue); importing it
    loads no rule and no plugin machinery."""
    import subprocess
    import sys

    code = ("import sys, corepress.report, corepress.report.clusters; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('corepress.rules', 'corepress.plugin_system')))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_the_page_number_heads_the_page_and_its_page_head_line_is_dropped_text(tmp_path):
    text = "2025年6月2日 星期一 A3 要闻\n\n湿地公园迎来候鸟\n\n本报讯 记者王明报道 今年春季，市湿地公园迎来大批候鸟，观鸟爱好者纷纷前来拍摄记录。\n"
    doc = Tree(render_report([corepress.parse_text(text)])).root
    section = doc.find_all("section", cls="page")[0]
    assert "page A3 要闻 · 2025-06-02 (from the page head)" in [p.text() for p in section.find_all("p", cls="meta")]
    dropped = section.by_id(f"page-{key_of(text)}-source").find_all(cls="dropped")
    assert [(d.attrs["title"], d.text()) for d in dropped] == [("dropped: page_head", "2025年6月2日 星期一 A3 要闻")]


RIVER = {  # one article printed across two pages of an issue: （下转第二版） … （上接第一版）
    "river-p01.txt": "2025年9月3日 星期三 第一版 要闻\n\n滨河步道全线贯通\n\n本报记者 陈思远\n\n"
                     "经过八个月的施工，滨河步道昨日全线贯通。步道沿河岸延伸十二公里，串起五座公园和三处历史码头。\n\n"
                     "“以前河边杂草丛生，晚上都不敢走。”家住河东小区的李师傅说，如今每天傍晚他都会沿着步道走到老码头，（下转第二版）\n",
    "river-p02.txt": "2025年9月3日 星期三 第二版 城市\n\n（上接第一版）看看河上的游船，再慢慢走回来。\n\n"
                     "市园林部门表示，下一步将在步道两侧补种乡土树种，并增设夜间照明。\n\n新学期校园安全检查启动\n\n"
                     "本报讯 （记者 吴楠）新学期开学前，市教育局会同公安、消防等部门对全市中小学开展安全检查。\n",
}


def test_a_jump_links_both_parts_and_an_unplaced_jump_says_why(tmp_path):
    for name, text in RIVER.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "r.html"
    # page 2 first on the command line: the report orders the pages by their numbers
    assert run("report", tmp_path / "river-p02.txt", tmp_path / "river-p01.txt", SEEDS[0], "-o", out)[0] == 0
    doc = Tree(out.read_text(encoding="utf-8")).root
    first, second = key_of(RIVER["river-p01.txt"]), key_of(RIVER["river-p02.txt"])
    assert [h.text().split(". ")[0] for h in doc.find_all("h2") if h.parent.tag == "section"] == ["1", "2", "3"]
    assert [s.attrs["id"] for s in doc.find_all("section", cls="page")][1:] == [f"page-{first}", f"page-{second}"]
    jump = doc.by_id(f"sheet-page-{first}-article-a1").find_all("dd", cls="field-continued_to")[0]
    assert jump.text() == "2 → page 2 · a1" and jump.find_all("a")[0].attrs["href"] == f"#page-{second}-article-a1"
    back = doc.by_id(f"sheet-page-{second}-article-a1").find_all("dd", cls="field-continued_from")[0]
    assert back.text() == "1 → page 1 · a1" and back.find_all("a")[0].attrs["href"] == f"#page-{first}-article-a1"
    # seeds/000's first article jumps to page 3 (（下转3版）), which is not among the pages
    seed = doc.by_id(f"sheet-page-{corepress.parse(SEEDS[0]).source.sha256[:12]}-article-a1")
    assert seed.find_all("dd", cls="field-continued_to")[0].text() == "3"
    assert "下转3版, but page 3 is not among the issue's pages" in seed.find_all("dd", cls="field-not-stitched")[0].text()
