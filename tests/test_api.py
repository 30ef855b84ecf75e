"""The Python API's trust boundary: ``parse`` takes paths, ``parse_text`` takes text."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

import corepress

PAGE = "全市启动春季植树活动\n\n本报讯 记者王明报道 3月12日，全市春季义务植树活动启动。\n\n活动现场种下樟树、银杏等苗木三千余株。\n"


def one_line_error(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and "\r" not in message, message
    return message


def test_parse_takes_a_path_as_str_or_path(tmp_path):
    page_file = tmp_path / "page.txt"
    page_file.write_text(PAGE, encoding="utf-8")
    by_path = corepress.parse(page_file)
    by_str = corepress.parse(str(page_file))
    assert by_path.to_dict() == by_str.to_dict()
    assert by_path.source.path == str(page_file)
    assert [a.title.text for a in by_path.articles] == ["全市启动春季植树活动"]


def test_parse_of_a_missing_file_names_it(tmp_path):
    missing = tmp_path / "no-such-page.txt"
    for value in (missing, str(missing)):
        with pytest.raises(corepress.InputError) as excinfo:
            corepress.parse(value)
        message = one_line_error(excinfo)
        assert message == f"{missing}: no such file or directory"


def test_parse_never_takes_page_text_for_a_path():
    with pytest.raises(corepress.InputError) as excinfo:
        corepress.parse(PAGE)
    message = one_line_error(excinfo)
    assert "no such file or directory" in message and "corepress.parse_text" in message
    assert message.startswith("全市启动春季植树活动\\n\\n本报讯")  # the string, shortened and escaped
    # a short, one-line string that is no file is a missing file too, never a page
    with pytest.raises(corepress.InputError, match="本报讯会议召开。: no such file or directory$"):
        corepress.parse("本报讯会议召开。")
    for empty in ("", "   "):
        with pytest.raises(corepress.InputError, match="no such file or directory"):
            corepress.parse(empty)


def test_parse_refuses_what_is_not_a_path():
    with pytest.raises(TypeError, match="parse_text"):
        corepress.parse(PAGE.encode("utf-8"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        corepress.parse(42)  # type: ignore[arg-type]


def test_parse_of_a_directory_is_one_line(tmp_path):
    with pytest.raises(corepress.InputError) as excinfo:
        corepress.parse(tmp_path)
    assert one_line_error(excinfo) == f"{tmp_path}: is a directory, not a page"


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    missing = tmp_path / "two\nlines.txt"
    with pytest.raises(corepress.InputError) as excinfo:
        corepress.parse(missing)
    assert "two\\nlines.txt: no such file or directory" in one_line_error(excinfo)


def test_parse_text_parses_a_string_like_the_same_file(tmp_path):
    page_file = tmp_path / "page.txt"
    page_file.write_text(PAGE, encoding="utf-8")
    from_text = corepress.parse_text(PAGE)
    from_file = corepress.parse(page_file)
    assert from_text.to_dict()["articles"] == from_file.to_dict()["articles"]
    assert from_text.source.path is None and from_text.articles[0].reporters == ("王明",)


def test_parse_text_options():
    forced = corepress.parse_text(PAGE, paper="generic")
    assert forced.paper.forced and forced.paper.id is None
    markdown = corepress.parse_text("# 标题一\n\n正文第一段。\n\n# 标题二\n\n正文第二段。\n", format="text")
    assert markdown.source.format == "text"
    assert corepress.parse_text("# 标题一\n\n正文。\n", format="markdown").source.format == "markdown"
    bracketed = corepress.parse_text("会议召开(甲乙)\n\n本报讯 会议在市委(西楼)召开。\n", normalize_brackets=True)
    assert any(r.rule == "normalize_brackets" for r in bracketed.repairs)
    with pytest.raises(ValueError, match="format"):
        corepress.parse_text(PAGE, format="html")


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\u3000\t\r\n", "\u200b\ufeff\u200b", "\x0c\x0b"])
def test_parse_text_refuses_empty_text(text):
    with pytest.raises(corepress.InputError) as excinfo:
        corepress.parse_text(text)
    assert one_line_error(excinfo) == "<text>: is empty: no text on the page"


@pytest.mark.parametrize("bad", ["\udc80", "\ud800", "\udfff", "\ud83d"])
def test_parse_text_refuses_lone_surrogates(bad):
    text = "本报讯 会议召开" + bad + "。"
    with pytest.raises(corepress.InputError) as excinfo:
        corepress.parse_text(text)
    assert one_line_error(excinfo) == f"<text>: is not valid Unicode text: lone surrogate U+{ord(bad):04X} at offset 8"


def test_parse_text_accepts_astral_characters():
    page = corepress.parse_text("本报讯 记者王明报道 \U00020000字会议召开。\n")
    assert "\U00020000" in page.articles[0].paragraphs[0].text.text


def test_parse_text_refuses_bytes():
    with pytest.raises(TypeError, match="decode the bytes first"):
        corepress.parse_text(PAGE.encode("utf-8"))  # type: ignore[arg-type]


def test_parse_many_still_walks_folders():
    pages = list(corepress.parse_many([SEEDS[0], SEEDS[1]]))
    assert [p.source.path for p in pages] == [str(SEEDS[0]), str(SEEDS[1])]


def test_package_docstring_examples_run():
    failures, tried = doctest.testmod(corepress, verbose=False)
    assert tried >= 2 and failures == 0


def test_readme_python_example_runs(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert blocks, "README.md shows no Python example"
    monkeypatch.chdir(ROOT)
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102


def test_importing_corepress_loads_no_plugin_machinery():
    import subprocess
    import sys

    code = "import sys, corepress; print(sorted(m for m in sys.modules if m.startswith(('corepress.', 'pluggy', 'attrs'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(ROOT))
    assert out.stdout.strip() == "['corepress._version', 'corepress.values', 'corepress.values.errors']"
    check = "from corepress import hookimpl; print(type(hookimpl).__name__)"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "HookimplMarker"
