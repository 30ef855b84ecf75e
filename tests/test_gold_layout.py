"""gold_layout: the gap labels and headline blocks a trainer reads off gold, for the blocks a scorer sees."""

from __future__ import annotations

from corepress.api import GapLabel, gold_layout
from corepress.evaluation.snippet import snippet_gold_from_dict
from corepress.pipeline.pipeline import parse_text
from corepress.text_io.reading import split_blocks

# Two stories of a PDF dump (a block per line); the first paragraph of the second story
# is cut by a column break after 两座.
PAGE = (
    "河湾村建起共享菜园\n\n"
    "本报讯 记者陈青报道 入春以来，河湾村把闲置空地改成共享菜园。\n\n"
    "村委会统一修了灌溉水渠。\n\n"
    "暑期安全课进课堂\n\n"
    "全县中小学开展防溺水教育\n\n"
    "本报讯 记者吴敏报道 暑假临近，全县新建两座\n\n"
    "游泳训练馆，各校邀请救援队员讲解自救方法。\n"
)

GOLD = {
    "articles": [
        {"title": "河湾村建起共享菜园", "body_start": "入春以来，河湾村把闲置空地", "body_end": ["村委会统一修了灌溉水渠。"]},
        {"title": "全县中小学开展防溺水教育", "body_start": "暑假临近，全县新建两座", "body_end": ["各校邀请救援队员讲解自救方法。"]},
    ],
    "joins": [["暑假临近，全县新建两座", "游泳训练馆"]],
}


def test_labels_of_a_two_story_page_with_a_column_break():
    page = parse_text(PAGE)
    blocks, _ = split_blocks(PAGE, markdown=False)
    layout = gold_layout(page.text, blocks, snippet_gold_from_dict(GOLD))
    assert layout is not None
    S, N, J = GapLabel.SAME, GapLabel.NEW, GapLabel.JOIN
    # title | lead | body | kicker | title | lead+body (cut) | continuation
    assert layout.gaps == (S, S, N, S, S, J)
    assert layout.before_body == (True, False, False, True, True, False, False)


def test_gold_that_cannot_be_placed_gives_none():
    blocks, _ = split_blocks(PAGE, markdown=False)
    wrong = dict(GOLD, articles=[dict(GOLD["articles"][0], body_start="这句话不在页面上")] + GOLD["articles"][1:])
    assert gold_layout(PAGE, blocks, snippet_gold_from_dict(wrong)) is None


def test_an_expected_page_is_read_too():
    blocks, _ = split_blocks(PAGE, markdown=False)
    expected = {"articles": [{"body_start": a["body_start"], "body_end": a["body_end"][0]} for a in GOLD["articles"]]}
    layout = gold_layout(PAGE, blocks, expected)
    assert layout is not None and layout.gaps[2] is GapLabel.NEW and GapLabel.JOIN not in layout.gaps  # no joins given
