"""corepress align: the same story across papers, found on the seeds and on pages written here."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS
from test_cli import run

import corepress

pytest.importorskip("datasketch")

from corepress.corpus.align import align, members_of  # noqa: E402


def test_the_seeds_two_wire_stories_and_nothing_else():
    """科技创新实现新突破 runs in three of the seed papers, 基层医疗质量改善三年行动 in two;
    read from the pages themselves (titles and sources checked by eye)."""
    code, out, _ = run("align", *SEEDS)
    data = json.loads(out)
    assert code == 0 and data["schema"] == "corepress.align/1"
    found = sorted((sorted(m["path"].rsplit("/", 1)[-1][:3] for m in c["members"]), {m["title"] for m in c["members"]})
                   for c in data["clusters"])
    assert found == [
        (["000", "001"], {"我国将开展基层医疗质量改善三年行动"}),
        (["000", "001", "002"], {"科技创新实现新突破"}),
    ]


def test_variants_point_at_both_sources():
    pages = [corepress.parse(p) for p in SEEDS[:3]]
    texts = {str(p): corepress.read(p) for p in SEEDS[:3]}
    (science, _) = align(members_of(pages))
    reference = science.members[science.reference]
    assert reference.path.endswith("002_3fa1046521e36f31.txt")  # the longest printing
    assert set(science.cuts) == {i for i in range(3) if i != science.reference}
    readings = {(science.members[v.member].path.rsplit("/", 1)[-1][:3], v.text, v.reference_text) for v in science.variants}
    assert ("000", "钍", "社") in readings and ("001", "硅", "社") in readings  # 钍基 / 硅基 / 社基
    assert ("001", "蓝", "潜") in readings  # 深蓝 / 深潜
    for v in science.variants:
        member = science.members[v.member]
        if v.span and v.text:
            assert texts[member.path][v.span[0]:v.span[1]].replace(" ", "") == v.text
        if v.reference_span and v.reference_text:
            assert texts[reference.path][v.reference_span[0]:v.reference_span[1]].replace(" ", "") == v.reference_text


STORY = ("新春佳节将至，本市各大商场、农贸市场年货供应充足，价格总体平稳。记者走访发现，"
         "蔬菜、肉类、水产品等货源充裕，部分商品还推出节日优惠。市场监管部门表示，春节期间将加强巡查，"
         "严厉打击哄抬价格、以次充好等违法行为，确保群众过一个安心祥和的节日。")


def _page(title, body, paper_line=""):
    return corepress.parse_text(f"{paper_line}{title}\n\n本报讯 记者王明报道 {body}\n", paper="generic")


def test_a_cut_reprint_is_a_cut_and_unrelated_stories_are_not_clustered():
    whole = _page("年货市场供应充足", STORY)
    cut = _page("年货供应充足价格平稳", STORY[:70])
    other = _page("全市启动春季植树活动", "3月12日，全市春季义务植树活动启动，两千余名干部群众参加，共种下苗木三千余株。"
                  "活动现场，市民们挥锹铲土、扶苗培土，一株株树苗在春风中挺立。据介绍，今年全市计划新增造林面积两万亩。")
    (cluster,) = align(members_of([whole, cut, other]))
    assert [m.title for m in cluster.members] == ["年货市场供应充足", "年货供应充足价格平稳"]
    assert cluster.reference == 0 and cluster.cuts == (1,) and cluster.variants == ()


def test_markdown_escapes_what_the_pages_hold():
    code, out, _ = run("align", *SEEDS, "--format", "markdown")
    assert code == 0 and out.startswith("## 1. 科技创新实现新突破") and "\\_8f24790f293e97a4" in out


def test_without_format_the_output_file_suffix_names_the_format(tmp_path):
    assert run("align", *SEEDS, "-o", tmp_path / "clusters.html")[0] == 0
    assert (tmp_path / "clusters.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run("align", *SEEDS, "-o", tmp_path / "clusters.out")[0] == 0  # no format named: json, as before
    assert json.loads((tmp_path / "clusters.out").read_text(encoding="utf-8"))["schema"] == "corepress.align/1"

