"""The built-in writers on hostile pages: JSON lines stay lines, Markdown stays inert text."""

from __future__ import annotations

import json
import re

import markdown_it
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import corepress
from corepress.cli.main import main
from corepress.text_io.serialize import md_comment, md_escape, render_markdown, write_json, write_jsonl

SEPARATORS = "\u2028\u2029\u0085"
PAGE_WITH_SEPARATORS = (
    "全市会议召开\u2028第二行\n\n本报讯 记者王明报道 会议召开\u2029，部署了任务\u0085。\n\n另一段\u2028文字。\n"
)


def _markdown() -> markdown_it.MarkdownIt:
    # CommonMark (raw HTML on, as GitHub and most renderers have it) plus GFM tables and strikethrough
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- JSON and JSONL -------------------------------------------------------------------------------
def test_jsonl_escapes_unicode_line_separators():
    import io

    pages = [corepress.parse_text(PAGE_WITH_SEPARATORS), corepress.parse_text(PAGE_WITH_SEPARATORS)]
    out = io.StringIO()
    write_jsonl(pages, out)
    written = out.getvalue()
    assert not any(ch in written for ch in SEPARATORS)
    assert "\\u2028" in written and "\\u2029" in written and "\\u0085" in written
    lines = written.splitlines()  # splits at U+2028, U+2029 and U+0085 too
    assert len(lines) == 2
    assert [json.loads(line) for line in lines] == [page.to_dict() for page in pages]


def test_json_escapes_unicode_line_separators():
    import io

    page = corepress.parse_text(PAGE_WITH_SEPARATORS)
    out = io.StringIO()
    write_json([page], out)
    assert not any(ch in out.getvalue() for ch in SEPARATORS)
    data = json.loads(out.getvalue())
    assert data == page.to_dict()
    assert any("\u2029" in a["text"] for a in data["articles"])


# --- Markdown never crashes -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "issue_line, shown",
    [
        ("", None),  # no issue number at all: used to raise KeyError
        ("总第1234期", "总第1234期"),
        ("第56号 总第1234期", "第56号"),
    ],
)
def test_markdown_of_a_masthead_with_or_without_issue_numbers(issue_line, shown):
    text = f"某某日报\n\n2026年4月2日 星期四 今日8版 {issue_line}\n\n全市会议召开\n\n本报讯 记者王明报道 会议召开。\n"
    rendered = render_markdown(corepress.parse_text(text))
    assert "\n# 某某日报\n" in rendered
    (facts_line,) = [line for line in rendered.splitlines() if line.startswith("*2026-04-02")]
    assert "今日8版" in facts_line
    if shown:
        assert shown in facts_line
    else:
        assert "号" not in facts_line and "总第" not in facts_line


# --- Markdown is inert ----------------------------------------------------------------------------
HOSTILE = (
    "<script>alert(1)</script>",
    "--> <script>alert(2)</script> <!--",
    "# 不是标题",
    "*不是强调* 和 **也不是** 和 _这个_",
    "[点我](javascript:alert(3)) ![图](javascript:alert(4))",
    "`code` 和 ```围栏```",
    "<a href='javascript:alert(5)'>链接</a> <img src=x onerror=alert(6)>",
    "&lt;b&gt; &amp; &#60;",
    "| 表 | 格 |",
    "~~删除~~",
    "1. 不是列表",
    "- 不是列表",
    "> 不是引用",
    "<javascript:alert(7)>",
    "\\*反斜杠\\*",
)


def hostile_page() -> str:
    lines = ["某某日报", "", "2026年4月2日 星期四 今日8版 <b>第1号</b>", ""]
    for i, bad in enumerate(HOSTILE):
        lines += [f"标题{i}{bad}", "", f"本报讯 记者王明报道 第{i}段正文{bad}，会议召开。", ""]
    return "\n".join(lines)


def test_hostile_page_text_renders_as_text():
    page = corepress.parse_text(hostile_page(), paper="generic")
    rendered = render_markdown(page)
    html = _markdown().render(rendered)
    assert "<script" not in html and "<a " not in html and "<img" not in html and "<code" not in html
    assert "<table" not in html and "<s>" not in html and "<del" not in html and "<ol" not in html and "<ul" not in html
    assert "<blockquote>\n<p>不是引用" not in html
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["某某日报"]
    for bad in HOSTILE:  # every hostile string is shown, character for character
        assert _html_text(bad) in html, bad
    # the only HTML comments are those corepress writes, each whole
    comments = 1 + bool(page.dropped)
    assert len(re.findall(r"<!--", html)) == comments and len(re.findall(r"-->", html)) == comments


def test_hostile_file_name_cannot_close_the_header_comment(tmp_path):
    name = "p --><img src=x onerror=alert(1)><!-- x --!> & <b>\n二.txt"  # no "/": it is one file name
    path = tmp_path / name
    path.write_text("全市会议召开\n\n本报讯 记者王明报道 会议召开。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path), "--format", "markdown"], catch_exceptions=False)
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0]
    assert header.startswith("<!-- ") and header.endswith(" -->")
    inner = header[5:-4]
    assert "--" not in inner and "<" not in inner and ">" not in inner
    import html as html_module

    assert html_module.unescape(inner).startswith(str(tmp_path / name).replace("\n", "\\n") + " · ")
    rendered = _markdown().render(result.stdout)
    assert "<img" not in rendered and "<b>" not in rendered


def test_dropped_text_cannot_close_its_comment():
    page = corepress.parse_text("全市会议召开\n\n本报讯 记者王明报道 会议召开。\n\n某某--><i>办 宣\n", paper="generic")
    assert page.dropped
    tail = render_markdown(page).rstrip().splitlines()[-1]
    assert tail.startswith("<!-- dropped: ") and tail.endswith(" -->") and "--" not in tail[5:-4]
    assert "<i>" not in _markdown().render(render_markdown(page))


def test_md_comment_round_trips_through_html_unescape():
    import html

    for text in ("a-->b", "--!>", "---", "-", "a - b", "<!-- x -->", "&amp;"):
        comment = md_comment(text)
        assert "--" not in comment[4:-3]
        assert html.unescape(comment[5:-4]) == text


LINE_ALPHABET = st.sampled_from(list("甲乙，。 <>&*_[]()`#-+=!|~\\:/.1a\"'") + ["javascript:", "-->", "<!--", "http://x", "1.", "1)"])


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.lists(LINE_ALPHABET, min_size=1, max_size=12).map("".join), min_size=1, max_size=4))
def test_escaped_text_renders_as_exactly_that_text(lines):
    lines = [" ".join(line.split()) for line in lines]  # page lines: no leading, trailing or double spaces
    lines = [line for line in lines if line]
    if not lines:
        return
    text = "\n".join(lines)
    expected = "<p>" + "\n".join(_html_text(line) for line in lines) + "</p>\n"
    assert _markdown().render(md_escape(text)) == expected
    one = " ".join(lines)
    assert _markdown().render("## " + md_escape(text, inline=True)) == f"<h2>{_html_text(one)}</h2>\n"
