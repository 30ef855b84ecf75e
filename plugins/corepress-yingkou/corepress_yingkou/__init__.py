"""corepress plugin for 营口日报 (Yingkou Daily, CN21-0005), a city paper of 辽宁省营口市.

What the generic rules cannot know about this paper:

* its masthead: the letter-spaced name 营 口 日 报, YINGKOU DAILY, 创刊于1957年5月1日,
  今日N版 第N号, and the CN/WeChat/Weibo/hotline line;
* its front page reprints 辽宁日报 stories with the lead ``辽宁日报 记者X Y报道``
  (no 讯, a space, the reporters, 报道) that no generic formula covers;
* its column tags, e.g. 优化营商环境进行时 and 树立和践行正确政绩观.
"""

from __future__ import annotations

from pathlib import Path

import regex

from corepress.kit.detection import PaperSignals
from corepress.kit.paper import LeadFormula, PaperPlugin
from corepress.rules.patterns import NAMES, SP
from corepress.values.model import Paper

PAPER = Paper(
    id="yingkou",
    name="营口日报",
    aliases=("营口日报社",),
    english_name="YINGKOU DAILY",
    region="辽宁省营口市",
    cn="CN21-0005",
    level="city",
    columns=("优化营商环境进行时", "树立和践行正确政绩观", "营口新闻", "民生视点"),
)

SIGNALS = PaperSignals(
    paper=PAPER,
    # places and institutions only this paper writes about this often
    terms={"营口": 0.3, "鲅鱼圈": 0.3, "盖州": 0.3, "大石桥": 0.3, "老边": 0.2, "站前区": 0.2, "西市区": 0.2},
    head_marks={"营口新闻传媒中心": 1.5},
    # the provincial paper's voice: a city paper says 我市, not 我省
    negative={"我省": 0.25},
    patterns=(("营口 reprint lead 辽宁日报 记者…报道", regex.compile(r"辽宁日报 记者\p{Han}{2,4}"), 0.3),),
)

# 辽宁日报 记者方亮 王奇报道 — a reprint lead: source paper, space, 记者 + names, 报道
REPRINT_LEAD = regex.compile(
    rf"""
    ^(?P<agency>辽宁日报|营口日报|营口晚报)   # the paper the story comes from
    {SP}+记者{SP}*(?P<names>{NAMES}){SP}*报道   # 记者方亮 王奇报道
    """,
    regex.VERBOSE,
)



plugin = PaperPlugin(
    PAPER,
    signals=SIGNALS,
    leads=(LeadFormula("yingkou:reprint_lead", REPRINT_LEAD),),
    samples=Path(__file__).with_name("samples"),
)
