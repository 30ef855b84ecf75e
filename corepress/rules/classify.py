"""Generic votes on what each block of the repaired flow is.

Weights: 10 a role a repair rule already established (hint), 8 a formula that
cannot be anything else (lead, byline, jump, advert issuer), 6 a strong
headline cue (——subtitle, known column), 4 a weak cue (kicker wording),
3 heading-shaped, 1 body text.  Paper plugins vote with the same scale.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

from corepress.rules import patterns as P
from corepress.rules import structure as S
from corepress.rules.layout import page_is_indented
from corepress.rules.text import TITLE_MAX, ends_sentence, looks_like_heading, visible_length
from corepress.values.hooktypes import PageView
from corepress.values.model import Block
from corepress.values.scores import Mark, MarkFacts, MarkKind, Role, Vote
from corepress.values.traced import PATTERN_TIMEOUT

RULE = "generic"

SPREAD_NOTE = f"{RULE}:picture_spread_note"
"""The vote that keeps a production note under a picture spread's title as the spread's text; the note
still closes the spread for the gap rules (``corepress.rules.joins._closes``)."""


def classify(block: Block, position: int, page: PageView) -> List[Vote]:
    text = block.text.text
    votes: List[Vote] = []
    if block.hint:
        votes.append(Vote(block.hint, 10, f"{RULE}:hint"))
    if block.heading:
        role = Role.SUBTITLE if text.startswith(("——", "—")) else Role.HEADING
        votes.append(Vote(role, 5, f"{RULE}:markdown_heading"))

    tails = S.tails(text)
    if tails and tails[0].start == 0 and tails[0].kind is MarkKind.CREDIT:  # 新华社记者 X摄 is a credit, not a byline
        votes.append(Vote(Role.CREDIT, 8, f"{RULE}:credit", tuple(tails)))
        return votes
    marker = S.byline(text)
    if marker:
        votes.append(Vote(Role.BYLINE, 8, f"{RULE}:byline", (marker,)))
        return votes
    marker = S.continued_from(text)
    if marker:
        votes.append(Vote(Role.CONTINUED_FROM, 8, f"{RULE}:continued_from", (marker,) + _after(tails, marker.end)))
        return votes
    marker = S.lead_at_start(text)
    if marker and marker.end >= len(text.rstrip()) and not marker.facts.reporters and marker.facts.dateline:
        # a bare dateline with nothing after it closes an article: 新华社北京3月31日电
        votes.append(Vote(Role.TAIL, 8, f"{RULE}:dateline_tail", (Mark(MarkKind.TAIL, marker.start, marker.end, marker.facts),)))
        return votes
    if marker:
        votes.append(Vote(Role.LEAD, 8, f"{RULE}:lead", (marker,) + _after(tails, marker.end)))
        return votes

    closing = S.closing_line(text)
    if closing is not None and closing.kind is MarkKind.NOTE and _under_a_picture_title(position, page):
        # a production note right under a titled picture spread is all the text the spread has (its
        # body is pictures): 春耕时节田野忙（走基层） / 版式设计：林  青
        votes.append(Vote(Role.TEXT, 8, SPREAD_NOTE))
        return votes
    if closing is not None:
        votes.append(Vote(Role.TAIL, 8, f"{RULE}:closing_line", (closing,)))
        return votes
    if tails and tails[0].start == 0:  # the whole block is a tail formula
        role = Role.CREDIT if tails[0].kind is MarkKind.CREDIT else Role.TAIL
        votes.append(Vote(role, 8, f"{RULE}:tail", tuple(tails)))
        return votes
    if ("宣" in text or "公益广告" in text) and P.ADVERT_ISSUER.search(text, timeout=PATTERN_TIMEOUT):  # what it ends with
        votes.append(Vote(Role.ADVERT, 8, f"{RULE}:advert_issuer"))
        return votes
    if "广告" in text and P.ADVERT_LABEL.match(text, timeout=PATTERN_TIMEOUT):
        votes.append(Vote(Role.ADVERT, 8, f"{RULE}:advert_label"))
        return votes

    if text[:1] in _DASHES and P.POST_ATTRIBUTION.match(text, timeout=PATTERN_TIMEOUT):
        # ——@某网友: the account a quoted post came from, under the post; a dash line, but no subtitle
        votes.append(Vote(Role.TEXT, 6, f"{RULE}:post_attribution"))
        return votes
    stem = text.rstrip("—")
    if text.endswith("——") and visible_length(stem) >= 6 and looks_like_heading(stem, limit=TITLE_MAX):
        # 引题 that lead into the title below with a dash: 习近平主席新年贺词引发国际人士热议——
        # (whether it is one, or a body line cut at a dash, the join pass decides from what follows)
        votes.append(Vote(Role.KICKER, 6, f"{RULE}:kicker_dash"))
        votes.append(Vote(Role.TEXT, 1, f"{RULE}:text"))
        return votes
    if (
        text.endswith(("：", ":")) and not block.indent and _over_a_headline(position, page)
        and looks_like_heading(text[:-1], limit=TITLE_MAX)
    ):
        # 引题 that lead into the title below with a colon: 武汉市环卫工人匡丹凤： / 国台办：, over a
        # headline-shaped line (over body text, a colon line is a speaker, a label or a lead-in; an
        # indented one is body text on any page: a speaker over the quote that follows)
        votes.append(Vote(Role.KICKER, 6, f"{RULE}:kicker_colon"))
        votes.append(Vote(Role.TEXT, 1, f"{RULE}:text"))
        return votes
    heading_shaped = looks_like_heading(text, limit=TITLE_MAX)
    if page_is_indented(page):
        # an indented page shows body by its indent: an indented heading-shaped line is a subhead or a
        # box label (核心阅读), never a headline; an unindented line is a headline line, whatever its shape
        above = page.blocks[position - 1] if position > 0 else None
        continues = above is not None and above.indent and not ends_sentence(above.text.text)
        if block.indent:
            if heading_shaped and not (_may_be_subtitle(text) and P.SUBTITLE.match(text, timeout=PATTERN_TIMEOUT)):
                votes.append(Vote(Role.SUBHEAD, 7, f"{RULE}:indented_subhead"))
        elif not heading_shaped and not continues:
            votes.append(Vote(Role.HEADING, 7, f"{RULE}:unindented_headline"))
    if heading_shaped and ("，" in text or "," in text) and _under_a_picture_label(position, page):
        # under 图片报道 the label stands for the title, and a line with a clause in it is the caption's
        # first line, cut by a column break (…枢纽港口，去年全年累计 | 装卸集装箱…), not a subtitle
        votes.append(Vote(Role.TEXT, 4, f"{RULE}:caption_under_picture_label"))
    if heading_shaped or block.heading:
        if _may_be_subtitle(text) and P.SUBTITLE.match(text, timeout=PATTERN_TIMEOUT):
            votes.append(Vote(Role.SUBTITLE, 6, f"{RULE}:subtitle"))
        if page.paper is not None and text in page.paper.columns:
            votes.append(Vote(Role.COLUMN, 7, f"{RULE}:known_column"))
        elif len(text) <= _COLUMN_MAX and P.COLUMN.match(text, timeout=PATTERN_TIMEOUT):
            votes.append(Vote(Role.COLUMN, 6, f"{RULE}:column_words"))
        if ("·" in text or _ends_in(text, _KICKER_LAST)) and P.KICKER.search(text, timeout=PATTERN_TIMEOUT):
            votes.append(Vote(Role.KICKER, 4, f"{RULE}:kicker_words"))
        if _ends_in(text, _BADGE_LAST) and P.BADGE.search(text, timeout=PATTERN_TIMEOUT) and visible_length(text) <= 20:
            votes.append(Vote(Role.BADGE, 4, f"{RULE}:badge_words"))
        votes.append(Vote(Role.HEADING, 3, f"{RULE}:heading_shape"))
    votes.append(Vote(Role.TEXT, 1, f"{RULE}:text", tuple(tails)))
    return votes


# What the headline-word patterns cannot match without, tested first with string operations: most
# heading-shaped lines are none of these.  A pattern's ``$`` may also match before a final line
# break, so endings are looked for in the last two characters.
_DASHES = frozenset("—－")
_SUBTITLE_LAST = frozenset("持话席加辞告研见望")  # 主持(并讲话), 讲话, 出席, 参加, 致辞, 作报告, 调研, 会见, 看望
_KICKER_LAST = frozenset("调出求示语望")  # 强调, 指出, 要求, 表示, 提出, 寄语, 希望
_BADGE_LAST = frozenset("强佳位体奖")  # 百强, 十佳, 先进单位, 贡献媒体, 一等奖 …
_COLUMN_MAX = 14  # ten ideographs, a column word of three, a final line break


def _over_a_headline(position: int, page: PageView) -> bool:
    """Is the block below ``position`` in the flow shaped like a headline?"""
    below = position + 1
    return below < len(page.blocks) and looks_like_heading(page.blocks[below].text.text, limit=TITLE_MAX)


def _under_a_picture_title(position: int, page: PageView) -> bool:
    """Is the block above ``position`` the title of a picture spread: a headline that names its column
    (…（走基层）) or a picture label (图片报道)?"""
    if _under_a_picture_label(position, page):
        return True
    above = page.blocks[position - 1].text.text.strip() if position > 0 else ""
    return looks_like_heading(above, limit=TITLE_MAX) and P.COLUMN_LABEL_END.search(above, timeout=PATTERN_TIMEOUT) is not None


def _under_a_picture_label(position: int, page: PageView) -> bool:
    return position > 0 and P.PICTURE_LABEL.match(page.blocks[position - 1].text.text.strip(), timeout=PATTERN_TIMEOUT) is not None


def _ends_in(text: str, last: frozenset) -> bool:
    return text[-1:] in last or text[-2:-1] in last


def _may_be_subtitle(text: str) -> bool:
    return text[:1] in _DASHES or _ends_in(text, _SUBTITLE_LAST)


def _after(tails: Sequence[Mark], start: int) -> Tuple[Mark, ...]:
    return tuple(m for m in tails if m.start >= start)


def _tails(text: str, after: int) -> Tuple[Mark, ...]:
    return _after(S.tails(text), after)


def lead_vote(text: str, end: int, facts: MarkFacts, rule: str, weight: float = 9) -> Vote:
    """A lead vote for a formula a paper plugin recognised, with the block's tail marks."""
    return Vote(Role.LEAD, weight, rule, (Mark(MarkKind.LEAD, 0, end, facts),) + _tails(text, end))
