"""corepress plugin for 桂林日报 (Guilin Daily), a city paper of 广西壮族自治区桂林市.

What the generic rules cannot know about this paper:

* its e-paper pages carry no masthead text, only award badges at the top
  (中国创新地市报20强, 中国报业融合发展创新单位, 中国报刊广告改革创新卓越贡献媒体),
  so detection rests on content: 桂林 and its counties, 广西 / 自治区, the badges,
  and the 广西云 lead formula;
* regional stories reach it through the 广西云 platform with the lead
  ``广西云—广西日报讯（记者X）``, which the generic ``X日报讯`` formula cannot see
  because of the platform prefix.

Its text dumps put spaces between CJK and digits (``第 10 位``): the generic
``remove_cjk_alnum_spaces`` repair handles that for every paper.
"""

from __future__ import annotations

from pathlib import Path

import regex

from corepress.kit.detection import PaperSignals
from corepress.kit.paper import LeadFormula, PaperPlugin
from corepress.rules.masthead import MastheadParser
from corepress.rules.patterns import CLOSE, NAMES, OPEN, SP
from corepress.values.model import Paper

PAPER = Paper(
    id="guilin",
    name="桂林日报",
    aliases=("桂林日报社",),
    english_name="GUILIN DAILY",
    region="广西壮族自治区桂林市",
    cn=None,  # not printed on the pages we have; add it when a page shows it
    level="city",
)

BADGES = ("中国创新地市报20强", "中国报业融合发展创新单位", "中国报刊广告改革创新", "卓越贡献媒体")

SIGNALS = PaperSignals(
    paper=PAPER,
    terms={
        "桂林": 0.25, "漓江": 0.3, "阳朔": 0.3, "临桂": 0.3, "灵川": 0.3, "灌阳": 0.3, "雁山": 0.3,
        "兴安": 0.2, "全州": 0.2, "叠彩": 0.3, "秀峰": 0.3, "七星区": 0.3, "象山区": 0.3,
    },
    # any paper of 广西 writes these; they count only on a page that names 桂林 and its counties
    context_terms={"广西": 0.1, "自治区": 0.1},
    anchors=("桂林", "漓江", "阳朔", "临桂", "灵川"),
    head_marks={"中国创新地市报": 1.0},
    patterns=(("广西云 lead", regex.compile(r"广西云[—－-]"), 0.6),),
)

# 广西云—广西日报讯（记者梁菁惠）: platform, dash, the source paper's 讯, reporters in brackets
GUANGXI_CLOUD_LEAD = regex.compile(
    rf"""
    ^广西云{SP}*[—－-]{{1,2}}{SP}*
    (?P<agency>\p{{Han}}{{2,6}}?(?:日报|晚报|报))讯
    (?:{SP}*{OPEN}{SP}*(?:记者|通讯员)?{SP}*(?P<names>{NAMES}){SP}*{CLOSE})?
    """,
    regex.VERBOSE,
)



plugin = PaperPlugin(
    PAPER,
    signals=SIGNALS,
    masthead=MastheadParser(paper=PAPER, badges=BADGES),
    leads=(LeadFormula("guilin:guangxi_cloud_lead", GUANGXI_CLOUD_LEAD, agency="广西云—{agency}"),),
    samples=Path(__file__).with_name("samples"),
)
