"""corepress plugin for 辽源日报 (Liaoyuan Daily, CN22-0010), a city paper of 吉林省辽源市.

What the generic rules cannot know about this paper:

* its masthead prints no Chinese name as text: the e-paper shows the 辽源发布
  new-media brand, the pinyin ``LIAO YUAN RI BAO``, 总第N期, the 干支 lunar date
  followed by the next solar term (``七月初四立秋``), and 辽源信息港 as its website;
* public-service adverts (a slogan plus ``…办公室 宣``) sit inside the masthead area;
* its column tags, e.g. 学习贯彻党的二十届三中全会精神 printed alone at the page foot.
"""

from __future__ import annotations

from pathlib import Path

import regex

from corepress.kit.detection import PaperSignals
from corepress.kit.paper import PaperPlugin
from corepress.rules.masthead import MastheadParser
from corepress.values.model import Paper

PAPER = Paper(
    id="liaoyuan",
    name="辽源日报",
    aliases=("辽源日报社",),
    english_name="LIAO YUAN RI BAO",
    region="吉林省辽源市",
    cn="CN22-0010",
    level="city",
    columns=("学习贯彻党的二十届三中全会精神", "辽源新闻", "聚焦两会"),
)

SIGNALS = PaperSignals(
    paper=PAPER,
    terms={"辽源": 0.3, "东丰": 0.3, "东辽": 0.3, "龙山区": 0.3, "西安区": 0.2, "吉林": 0.1},
    head_marks={"辽源发布": 1.5, "辽源信息港": 1.0},
)

# the new-media brand printed where other papers print their name
BRAND = ("new_media", regex.compile(r"^(?P<v>辽源发布)$"), lambda m: {"new_media": m.group("v")})
# 辽源信息港 <http://www.0437.com>: keep the site's name with the address
SITE_NAME = ("website_name", regex.compile(r"^(?P<v>辽源信息港)$"), lambda m: {"website_name": m.group("v")})

plugin = PaperPlugin(
    PAPER,
    signals=SIGNALS,
    masthead=MastheadParser(paper=PAPER, extra_fields=(BRAND, SITE_NAME)),
    samples=Path(__file__).with_name("samples"),
)
