"""corepress plugin for 厦门日报 (Xiamen Daily), the city paper of 福建省厦门市.

Written by following the corepress tutorial "Add a new paper". What the
generic rules cannot know about this paper:

* its masthead: the letter-spaced name 厦 门 日 报, XIAMEN DAILY, 中共厦门市委机关报,
  今日N版 第N号, 厦门日报社出版, and a service line with the CN serial, the name
  of its news site 厦门网 followed by the address, and the news hotline;
* stories first published on its news site carry the lead
  ``厦门网讯（记者X 通讯员Y）``, which the generic ``X日报讯`` formula cannot see
  (厦门网 is a site, not a 报);
* its column tags, e.g. 鹭岛关注 above a title, which no generic column word
  (…观察, …进行时) gives away.
"""

from __future__ import annotations

from pathlib import Path

import regex

from corepress.api import CLOSE, NAMES, OPEN, SP, LeadFormula, MastheadParser, Paper, PaperPlugin, PaperSignals

PAPER = Paper(
    id="xiamen",
    name="厦门日报",
    aliases=("厦门日报社",),
    english_name="XIAMEN DAILY",
    region="福建省厦门市",
    cn="CN35-0019",
    level="city",
    columns=("鹭岛关注", "厦门新闻", "民生直通车"),
)

SIGNALS = PaperSignals(
    paper=PAPER,
    # the city and its districts: a page about them is very likely this paper's
    terms={
        "厦门": 0.25, "思明": 0.3, "湖里": 0.3, "集美": 0.3, "海沧": 0.3,
        "翔安": 0.3, "同安": 0.3, "鼓浪屿": 0.3, "鹭岛": 0.2,
    },
    # any paper of 福建 writes these; they count only on a page anchored in 厦门
    context_terms={"福建": 0.1, "闽南": 0.1},
    anchors=("厦门", "思明", "湖里", "集美", "海沧", "翔安", "同安"),
    head_marks={"中共厦门市委机关报": 1.0},
    # a city paper says 我市; 我省 is a provincial paper's voice
    negative={"我省": 0.2},
    patterns=(("厦门网 lead", regex.compile(r"^厦门网讯", regex.MULTILINE), 0.6),),
)

# 厦门网 <https://www.xmnn.cn>: keep the site's name next to its address
SITE_NAME = ("website_name", regex.compile(r"^(?P<v>厦门网)$"), lambda m: {"website_name": m.group("v")})

# 厦门网讯（记者黄怡 通讯员思宣）: the news site, 讯, reporters and correspondents in brackets
XMNN_LEAD = regex.compile(
    rf"""
    ^(?P<agency>厦门网)讯
    {SP}*{OPEN}{SP}*
    (?:记者{SP}*(?P<names>{NAMES}){SP}*)?
    (?:通讯员{SP}*(?P<names2>{NAMES}){SP}*)?
    {CLOSE}
    """,
    regex.VERBOSE,
)


plugin = PaperPlugin(
    PAPER,
    signals=SIGNALS,
    masthead=MastheadParser(paper=PAPER, extra_fields=(SITE_NAME,)),
    leads=(LeadFormula("xiamen:xmnn_lead", XMNN_LEAD),),
    samples=Path(__file__).with_name("samples"),
)
