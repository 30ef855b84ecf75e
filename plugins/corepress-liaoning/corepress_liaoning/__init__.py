"""corepress plugin for 辽宁日报 (Liaoning Daily), the provincial paper of 辽宁省.

What the generic rules cannot know about this paper:

* inside pages carry no masthead, so detection rests on content, and a
  provincial paper speaks of 我省 / 全省 / 省委 where a city paper says 我市 / 全市 /
  市委: city words count *against* it (a 营口日报 page full of 辽宁 and 沈阳 is still
  a city paper);
* its interview series carry a kicker with a ``·权威访谈`` label: the label is the
  column, the kicker stays as printed;
* its column tags, e.g. 优化营商环境进行时 between a title and its lead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Optional

from corepress import hookimpl
from corepress.kit.detection import PaperSignals
from corepress.kit.paper import PaperPlugin
from corepress.values.hooktypes import PageView
from corepress.values.model import Article, Paper

PAPER = Paper(
    id="liaoning",
    name="辽宁日报",
    aliases=("辽宁日报社",),
    english_name="LIAONING DAILY",
    region="辽宁省",
    cn=None,  # inside pages print no serial; add it when a front page shows it
    level="province",
    columns=("优化营商环境进行时", "权威访谈", "辽宁观察", "振兴新突破"),
)

SIGNALS = PaperSignals(
    paper=PAPER,
    terms={"辽宁": 0.08, "沈阳": 0.06, "大连": 0.06, "辽沈": 0.1},
    # every provincial paper says 全省 and 省委: they count only on a page anchored in 辽宁
    context_terms={"我省": 0.25, "全省": 0.15, "省委": 0.1, "省政府": 0.1, "省政协": 0.15, "省人大": 0.15, "在沈": 0.3},
    anchors=("辽宁", "沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "铁岭", "盘锦", "葫芦岛"),
    term_cap=1.0,
    # city papers' words for their own area
    negative={"我市": 0.2, "全市": 0.12, "市委": 0.1, "市政府": 0.1, "市人大": 0.1},
)

INTERVIEW_LABEL = "·权威访谈"


class LiaoningDaily(PaperPlugin):
    @hookimpl
    def corepress_finish_article(self, article: Article, page: PageView) -> Optional[Mapping[str, Any]]:
        """An article under a ``…·权威访谈`` kicker is an interview, whatever its subtitle says."""
        if article.kicker is not None and article.kicker.text.endswith(INTERVIEW_LABEL):
            return {"kind": "interview", "flags": ["series:权威访谈"]}
        return None


plugin = LiaoningDaily(PAPER, signals=SIGNALS, samples=Path(__file__).with_name("samples"))
