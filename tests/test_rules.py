"""Single rules on small, hand-made text: each case says what a reader expects."""

from __future__ import annotations

import pytest

import corepress
from corepress.rules import patterns as P
from corepress.rules import structure as S
from corepress.rules.text import chinese_number, looks_like_heading, page_number, starts_mid_sentence
from corepress.values.schema import MARKUP_RULES


def titles(text, **kw):
    return [a.title.text if a.title else None for a in corepress.parse_text(text, **kw).articles]


def body(text, **kw):
    return [[p.text.text for p in a.paragraphs] for a in corepress.parse_text(text, **kw).articles]


# --- spacing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, fixed", [
    ("全球排名第 10 位。", "全球排名第10位。"),
    ("到 2026 年底完成。", "到2026年底完成。"),
    ("C919 大飞机商业运营。", "C919大飞机商业运营。"),
    ("高于国家 30% 的要求。", "高于国家30%的要求。"),
    ("访问 http://www.example.com 了解详情。", "访问 http://www.example.com 了解详情。"),  # URL untouched
    ("来信请寄 editor@example.com 编辑部。", "来信请寄 editor@example.com 编辑部。"),  # e-mail untouched
    ("刊号 CN21-0005 出版。", "刊号 CN21-0005 出版。"),  # CN serial untouched
    ("他说 New York Times 报道了。", "他说New York Times报道了。"),  # Latin words keep their spaces
])
def test_cjk_alnum_spacing(raw, fixed):
    assert body(raw, paper="generic")[0][0] == fixed


def test_letter_spacing_collapses_single_characters_only():
    page = corepress.parse_text("新年贺词\n\n新华社记者 胡 喆\n\n本报记者刘鹏 张巍参加了会议。", paper="generic")
    assert page.articles[0].byline.text == "新华社记者 胡喆"
    assert "刘鹏 张巍" in page.articles[0].paragraphs[0].text.text


# --- joining column breaks ---------------------------------------------------------------------
@pytest.mark.parametrize("a, b", [
    ("会议强调，要深化从严治党、", "夯实党建根基，提供坚强保障。"),  # after 、
    ("近日，我国科研团队依托国家重大科技基础设施——散裂中子", "源，实现同位素的同时提取。"),  # inside a word
    ("公路交通方面，张小玲提醒，清明", "假期路面湿滑，请注意安全。"),  # short, but a sentence is under way
    ("会议审议通过《政协桂林市委员会", "2026年工作要点》。"),  # an open 《
    ("市领导要求各部门深入一线、靠前服务，主动对接企业需求，及时解决项目推进中的困难", "问题，推动项目早开工。"),
])
def test_mid_sentence_breaks_are_joined(a, b):
    text = f"标题在此\n\n本报讯 记者王明报道 {a}\n\n{b}"
    assert body(text, paper="generic") == [[f"{a}{b}"]]


def test_heading_shaped_fragment_before_a_mid_sentence_start_keeps_the_boundary():
    # ambiguous: a fragment, or a title over a body that lost its beginning; corepress
    # keeps the boundary (a split paragraph is a smaller error than a lost article)
    text = "前文结束。\n\n依托国家重大科技基础设施散裂中子\n\n源，实现同位素的同时提取。"
    page = corepress.parse_text(text, paper="generic")
    assert [p.text.text for a in page.articles for p in a.paragraphs][-1] == "源，实现同位素的同时提取。"


def test_subhead_is_not_joined_and_stays_in_the_article():
    text = (
        "发展新质生产力\n\n新华社记者 李华\n\n第一段讲了一件事。\n\n"
        "因地制宜发展新质生产力，塑造发展新动能新优势\n\n第二段接着讲。\n\n第三段收尾。"
    )
    page = corepress.parse_text(text, paper="generic")
    assert len(page.articles) == 1
    assert [p.role for p in page.articles[0].paragraphs] == ["text", "subhead", "text", "text"]


def test_never_joined_across_a_sentence_end_or_into_a_lead():
    text = "甲地召开会议\n\n本报讯 记者王明报道 会议召开。\n\n乙地开展活动\n\n本报讯（记者李华）活动开展。"
    assert titles(text, paper="generic") == ["甲地召开会议", "乙地开展活动"]


def test_jump_marker_ends_a_paragraph():
    text = "标题\n\n本报讯 记者王明报道 继续把改革推向前进，（下转第二版）\n\n学习贯彻全会精神"
    page = corepress.parse_text(text, paper="generic")
    assert page.articles[0].continued_to == "2"
    assert [d.reason for d in page.dropped] == ["column_tag"]


# --- headline stacks ----------------------------------------------------------------------------
def test_kicker_on_the_title_line_repeated_below():
    text = "张三在调研时强调 抢抓机遇 加快发展\n\n张三在调研时强调\n\n本报讯 记者王明报道 4月1日，张三调研。"
    page = corepress.parse_text(text, paper="generic")
    a = page.articles[0]
    assert (a.kicker.text, a.title.text) == ("张三在调研时强调", "抢抓机遇 加快发展")
    assert [(d.reason, d.text.text) for d in page.dropped] == [("repeated_kicker", "张三在调研时强调")]


@pytest.mark.parametrize("stack, expected", [
    (["科技创新实现新突破", "——学习贯彻系列述评"], (None, "科技创新实现新突破", "——学习贯彻系列述评")),
    (["市委常委会召开会议", "李楚主持"], (None, "市委常委会召开会议", "李楚主持")),
    (["深入学习贯彻全会精神·权威访谈", "夯实基础 转变作风", "——访某市委书记"], ("深入学习贯彻全会精神·权威访谈", "夯实基础 转变作风", "——访某市委书记")),
    (["某某在调研时强调", "抢抓机遇 加快发展"], ("某某在调研时强调", "抢抓机遇 加快发展", None)),
])
def test_headline_stack(stack, expected):
    text = "\n\n".join(stack) + "\n\n本报讯 记者王明报道 4月1日，会议召开。"
    a = corepress.parse_text(text, paper="generic").articles[0]
    got = tuple(x.text if x else None for x in (a.kicker, a.title, a.subtitle))
    assert got == expected


def test_column_tag_between_title_and_lead_belongs_to_the_article():
    text = "取消热线语音导航 人工服务一键直通\n\n优化营商环境进行时\n\n本报讯 记者孔爱群报道 热线流程再造。"
    a = corepress.parse_text(text, paper="generic").articles[0]
    assert a.column.text == "优化营商环境进行时" and a.title.text.startswith("取消热线")


def test_photo_news():
    text = "前文结束了。\n\n港口新增航线\n\n四月一日，一艘货轮驶入港口。\n\n新华社发（张三摄）"
    page = corepress.parse_text(text, paper="generic")
    photo = page.articles[-1]
    assert photo.kind == "photo" and photo.title.text == "港口新增航线"
    assert [p.role for p in photo.paragraphs] == ["caption"] and photo.reporters == ("张三",)


@pytest.mark.parametrize("line, reporters, agency", [
    ("新华社发", (), "新华社"),  # a wire picture, no photographer named
    ("周  明  何晓光摄影报道", ("周明", "何晓光"), None),  # two-character names letter-spaced to the width of three
    ("何晓光 林  青摄影报道（影像中国）", ("何晓光", "林青"), None),
    ("摄影：何晓光  林  青（影像中国）", ("何晓光", "林青"), None),
    ("周  明图  林  青文", ("周明", "林青"), None),  # pictures by one, words by the other
])
def test_picture_credits_without_a_photographer_formula_before_the_names(line, reporters, agency):
    mark = S.tails(line)[-1]
    assert (mark.kind, mark.start, mark.end) == ("credit", 0, len(line))
    assert mark.facts.reporters == reporters and mark.facts.agency == agency


@pytest.mark.parametrize("line", ["中文图书馆在整理论文", "他们画了一幅地图", "这是一篇论文"])
def test_a_sentence_about_pictures_or_writing_is_no_credit(line):
    assert S.tails(line) == []


def test_a_picture_credit_closes_the_picture_story_and_the_next_headline_opens_a_story():
    # a PDF dump: every line a block; the credit is the only sign that the picture story is over
    text = (
        "图片报道\n\n春节前夕，县城街头挂起了红灯笼，来往行人纷纷驻足拍照留念。\n\n"
        "周  明图  林  青文\n\n乡村书屋迎来新读者\n\n"
        "寒假里，村里的孩子们一有空就往书屋跑，管理员每天都要整理好几遍书架。\n\n"
        "书屋里新添了两百多册图书，还开设了周末故事课。\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == ["图片报道", "乡村书屋迎来新读者"]
    assert page.articles[0].reporters == ("周明", "林青")


@pytest.mark.parametrize("line", ["电子信箱：readers@example.com", "栏目投稿邮箱：column2020@example.cn", "本版制图：林  青", "（本系列评论结束）"])
def test_contact_lines_production_notes_and_series_ends_close_a_story(line):
    note = S.closing_line(line)
    assert note is not None and (note.start, note.end) == (0, len(line))
    text = (
        f"全县春耕备耕工作会议召开\n\n本报讯 记者王明报道 会议部署了春耕备耕工作。\n\n{line}\n\n"
        "乡村书屋迎来新读者\n\n寒假里，村里的孩子们一有空就往书屋跑。\n"
    )
    assert titles(text, paper="generic") == ["全县春耕备耕工作会议召开", "乡村书屋迎来新读者"]


def test_a_headline_ending_on_a_whole_word_is_not_joined_as_if_its_last_character_dangled():
    # 担当 ends in 当, which dangles at the end of a cut line (…让当 | 科学家…); a headline ends on a whole word
    text = "前文说完了。\n\n青年突击队彰显使命担当\n\n风雪中，二十名队员连夜抢修线路，天亮前恢复了供电。\n"
    assert body(text, paper="generic")[-1] == ["风雪中，二十名队员连夜抢修线路，天亮前恢复了供电。"]
    # …以及 needs what follows whatever its shape: the cut line is joined
    text = "前文说完了。\n\n会议传达了有关文件以及\n\n上级部门的工作部署，研究了下一步工作。\n"
    assert body(text, paper="generic")[-1][-1] == "会议传达了有关文件以及上级部门的工作部署，研究了下一步工作。"


@pytest.mark.parametrize("line, heading", [
    ("山村小学开学了，真好！（新春走基层）", True),  # the title exclaims, then names its column
    ("这笔钱该不该花？（热点辨析·民生）", True),
    ("“老乡，咱们一起干！”（基层来信）", True),  # a quoted title closes its quotation before the label
    ("“我们还要再来！”她说。（完）", False),  # a sentence after the quotation: no title
    ("他说：“好！”（记者 王飞）", False),
    ("祝大家新年快乐！", False),  # an exclamation without a column is a sentence
    ("他说：我们一定坚持到底！（记者 王飞）", False),  # a bracketed reporter is no column
])
def test_a_title_may_exclaim_or_ask_before_its_column_label(line, heading):
    assert looks_like_heading(line) is heading


@pytest.mark.parametrize("line, label", [
    ("春耕备耕有序推进（新春走基层）", True),
    ("春耕物资供应足（扎实推进乡村振兴的一线见闻）", True),  # a long label after a title of five and more
    ("王林（某某军区某某边防团某连指导员）", False),  # after a name, a bracket that long is the person's post
    ("他说得对（笑）", False),  # one ideograph is no column
])
def test_a_title_may_end_with_the_column_it_runs_in(line, label):
    assert (P.COLUMN_LABEL_END.search(line) is not None) is label


def test_a_title_naming_a_long_column_opens_a_story_after_one_without_a_closing_formula():
    text = (
        "全县春耕备耕工作会议召开\n\n本报讯 记者王明报道 会议部署了春耕备耕工作，要求各乡镇抓好落实。\n\n"
        "今年全县计划推广优质良种五万亩，种子已经全部到位。\n\n"
        "合作社里备耕忙（扎实推进乡村振兴的一线见闻）\n\n"
        "清晨，合作社的仓库前排起了长队，农户们正在领取种子和化肥。\n"
    )
    assert titles(text, paper="generic") == ["全县春耕备耕工作会议召开", "合作社里备耕忙（扎实推进乡村振兴的一线见闻）"]


SPREAD = "春耕时节田野忙（走基层）"
COMMENT = "抓住农时不放松（快评）"
COMMENT_BODY = "一年之计在于春。各地抢抓农时，备足农资，田间地头一派繁忙景象。"


@pytest.mark.parametrize("layout", ["blank", "indented"])
def test_a_picture_spread_keeps_its_title_and_its_production_note_as_its_text(layout):
    # a page of pictures: a titled spread whose only text is its layout credit, then a commentary; the
    # spread is an article (its body is the pictures), the credit its text, as an indented page shows it
    if layout == "blank":
        text = f"{SPREAD}\n\n版式设计：林  青\n\n{COMMENT}\n\n{COMMENT_BODY}\n"
    else:
        text = f"{SPREAD}\r\n\u3000\u3000版式设计：林  青\r\n{COMMENT}\r\n\u3000\u3000{COMMENT_BODY}\r\n"
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == [SPREAD, COMMENT]
    assert [p.text.text for p in page.articles[0].paragraphs] == ["版式设计：林  青"]
    assert page.articles[0].kind.value == "photo"
    assert [p.text.text for p in page.articles[1].paragraphs] == [COMMENT_BODY]


def test_the_first_caption_line_under_a_picture_label_is_no_subtitle():
    # under 图片报道 a caption cut by a column break after a clause: the label stands for the title
    text = (
        "图片报道\n\n青岛港作为北方重要的国际枢纽港口，去年全年累计\n\n"
        "装卸集装箱同比增长两成，创历史新高。\n\n王  林摄\n\n"
        f"{COMMENT}\n\n{COMMENT_BODY}\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == ["图片报道", COMMENT]
    picture = page.articles[0]
    assert picture.subtitle is None
    assert picture.paragraphs[0].text.text.startswith("青岛港作为北方重要的国际枢纽港口，去年全年累计")  # the caption's text


def test_a_picture_label_after_a_story_without_a_closing_formula_opens_a_picture_story():
    # even when the caption goes on with the story's words: 图片报道 heads a picture story, never a section
    text = (
        f"{COMMENT}\n\n{COMMENT_BODY}\n\n图片报道\n\n"
        "各地抢抓农时，备足农资，田间地头一派繁忙景象。图为农民在田间播种。\n\n王  林摄\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == [COMMENT, "图片报道"]
    assert page.articles[1].kind.value == "photo"


def test_the_account_under_a_quoted_post_is_no_subtitle():
    # posts quoted one after another, each with the account it came from (——@…); a picture story follows
    text = (
        f"{COMMENT}\n\n网友们纷纷留言，为坚守在春耕一线的农技人员点赞。\n\n"
        "农技人员把课堂搬到田间地头，真给力！\n\n——@春风十里\n\n"
        "图片报道\n\n3月5日，某县农民在田间驾驶播种机播种玉米。\n\n王  林摄\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == [COMMENT, "图片报道"]
    assert page.articles[0].subtitle is None
    assert page.articles[0].paragraphs[-1].text.text == "——@春风十里"


def test_a_production_note_under_an_untitled_line_still_closes_the_story_above():
    # the note under a signature (no column label, no picture label) is the letter's closing note
    text = (
        "致全县农民朋友的一封信\n\n本报讯 春耕在即，希望大家抓住农时，做好防护，安心生产。\n\n"
        "县农业农村局\n\n制图：林  青\n\n" + f"{COMMENT}\n\n{COMMENT_BODY}\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == ["致全县农民朋友的一封信", COMMENT]
    assert all(p.text.text != "制图：林  青" for a in page.articles for p in a.paragraphs)


@pytest.mark.parametrize("title, body", [
    ("山村小学开学了，真好！（新春走基层）", "清晨七点，山路上已经有背着书包的孩子。老师们提前一天把教室打扫干净，还在门口贴上了春联。"),
    # a quoted title closes its quotation before the label
    ("“老乡，咱们一起干！”（基层来信）", "村里的合作社今年添了两台插秧机，村民们说，种田比往年省力多了。"),
])
def test_an_exclaiming_title_with_its_column_opens_a_story_after_one_without_a_closing_formula(title, body):
    text = (
        "全县春耕备耕工作会议召开\n\n本报讯 记者王明报道 会议部署了春耕备耕工作，要求各乡镇抓好落实。\n\n"
        f"今年全县计划推广优质良种五万亩，种子已经全部到位。\n\n{title}\n\n{body}\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == ["全县春耕备耕工作会议召开", title]
    assert not page.articles[1].markers  # the bracket names the column: no author note


def test_advert_is_dropped():
    text = "筑牢防汛安全屏障 确保全市度汛平安\n\n某市防汛抗旱指挥部办公室 宣\n\n标题\n\n本报讯 记者王明报道 会议召开。"
    page = corepress.parse_text(text, paper="generic")
    assert [d.reason for d in page.dropped] == ["advert", "advert"]
    assert len(page.articles) == 1


def test_an_advert_label_is_dropped_as_advert_and_claims_no_slogan_in_the_head():
    # a page of adverts: the e-paper text is the label alone
    page = corepress.parse_text("广告\n", paper="generic")
    assert [(d.reason, d.text.text) for d in page.dropped] == [("advert", "广告")] and not page.articles
    # over an advert below a story: the label leaves, the story and the advert's own lines are untouched
    text = "全县春耕备耕工作会议召开\n\n本报讯 记者王明报道 会议部署了春耕备耕工作。\n\n商业广告\n\n某某银行\n\n为民而生 与民共生"
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == ["全县春耕备耕工作会议召开"]
    assert ("advert", "商业广告") in [(d.reason, d.text.text) for d in page.dropped]
    assert "广告位招租" not in [d.text.text for d in corepress.parse_text("广告位招租\n", paper="generic").dropped if d.reason == "advert"]


def test_a_kicker_that_leads_into_its_title_with_a_colon_stays_a_line_of_its_own():
    # a PDF dump: every line a block.  The colon promises more, but over a headline-shaped line it is
    # the 引题 of the story below, not a paragraph a column break cut; over body text it is a lead-in.
    text = (
        "全县春耕备耕工作会议召开\n\n本报讯 记者王明报道 会议部署了春耕备耕工作，要求各乡镇抓好落实。\n\n"
        "县农业农村局局长李强：\n\n良种供应一定要跟上\n\n今年全县计划推广优质良种五万亩，种子已经全部到位。\n\n"
        "李强说：\n\n“我们还要组织技术人员下乡，手把手教农民科学种田。”\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert [a.title.text for a in page.articles] == ["全县春耕备耕工作会议召开", "良种供应一定要跟上"]
    second = page.articles[1]
    assert second.kicker is not None and second.kicker.text == "县农业农村局局长李强："
    assert [p.text.text for p in second.paragraphs][-1] == "李强说：“我们还要组织技术人员下乡，手把手教农民科学种田。”"


def test_truncated_start_is_flagged():
    a = corepress.parse_text("市政协党组会议召开\n\n罗某主持\n\n神、讲话精神等。会议审议通过了文件。", paper="generic").articles[0]
    assert a.truncated_start and "truncated_start" in a.flags and a.confidence < 1


# --- formulas ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, agency, reporters, dateline", [
    ("本报讯 记者刘鹏 张巍报道 4月1日，", "本报", ["刘鹏", "张巍"], None),
    ("本报讯（记者刘健）4月1日，", "本报", ["刘健"], None),
    ("本报讯（记者 田蕾蕾 刘鹰）7月25日，", "本报", ["田蕾蕾", "刘鹰"], None),
    ("新华社北京4月1日电（记者王隼 张晔洁）记者获悉，", "新华社", ["王隼", "张晔洁"], "北京4月1日"),
    ("据新华社北京4月1日电(记者彭韵佳)为保障", "新华社", ["彭韵佳"], "北京4月1日"),
    ("本报北京9月9日电（记者钟雅琳）", "本报", ["钟雅琳"], "北京9月9日"),
    ("广西日报讯（记者梁某）近日，", "广西日报", ["梁某"], None),
])
def test_lead_formulas(text, agency, reporters, dateline):
    mark = S.lead_at_start(text)
    assert (mark.kind, mark.start) == ("lead", 0)
    assert mark.facts.agency == agency and list(mark.facts.reporters) == reporters
    assert mark.facts.dateline == dateline


@pytest.mark.parametrize("text, kind, value", [
    ("继续推向前进，（下转第二版）", "continued_to", {"page": "2"}),
    ("提供了新动能。（下转3版）", "continued_to", {"page": "3"}),
    ("提供了新动能。（下转A3版）", "continued_to", {"page": "A3"}),
    ("成果由人民共享。（转自《人民日报》）", "reprint", {"source": "人民日报"}),
    ("参加会议。（任达轩）", "author", {"reporters": ("任达轩",)}),
    ("书写时代篇章。新华社北京4月1日电", "tail", {"agency": "新华社", "dateline": "北京4月1日"}),
])
def test_tail_formulas(text, kind, value):
    found = S.tails(text)
    assert found and found[-1].kind == kind
    for k, v in value.items():
        assert getattr(found[-1].facts, k) == v


def test_brackets_inside_a_sentence_are_not_author_tails():
    assert S.tails("覆盖全国中心乡镇卫生院（含县域次中心）和社区") == []


@pytest.mark.parametrize("text, n", [("七", 7), ("第", None), ("十二", 12), ("二十一", 21), ("12", 12), ("A3", None)])
def test_chinese_numbers(text, n):
    assert chinese_number(text) == n


@pytest.mark.parametrize("text, page", [("A3", "A3"), ("b12", "B12"), ("三", "3"), ("十二", "12"), ("7", "7"), ("X", None)])
def test_page_numbers_keep_the_section_letter(text, page):
    assert page_number(text) == page


@pytest.mark.parametrize("text, heading", [
    ("以融合之智铺展高质量发展新蓝图", True),
    ("因地制宜发展新质生产力，塑造发展新动能新优势", True),
    ("张小玲预计，华北西部、黄淮东北", False),
    ("会议强调，要深化从严治党、", False),
    ("原始创新是科技创新的源头活水。", False),
])
def test_heading_shape(text, heading):
    assert looks_like_heading(text) is heading


@pytest.mark.parametrize("text, mid", [("神、习近平在参加活动", True), ("五”开局之年", True), ("4月1日，会议召开", False)])
def test_starts_mid_sentence(text, mid):
    assert starts_mid_sentence(text) is mid


def test_normalize_brackets_is_opt_in_and_logged():
    text = "标题\n\n本报讯 记者王明报道 各县(市)区参加。"
    plain = corepress.parse_text(text, paper="generic")
    assert "(市)" in plain.articles[0].paragraphs[0].text.text
    fixed = corepress.parse_text(text, paper="generic", normalize_brackets=True)
    assert "（市）" in fixed.articles[0].paragraphs[0].text.text
    assert any(r.rule == "normalize_brackets" for r in fixed.repairs)
    from corepress.pipeline.accounting import check
    assert check(fixed) == []


def test_a_paper_specific_lead_is_never_joined_onto_an_unfinished_block():
    # 广西云—广西日报讯 is only known to the guilin plugin; the block above lacks a sentence end
    text = ("桂林市推进漓江保护\n\n本报讯（记者李某）全市推进漓江流域生态保护，持续擦亮山水甲天下金字招牌，桂林各县区协同推进治理工作\n\n"
            "广西新增绿色工厂\n\n广西云—广西日报讯（记者梁某）近日，工业和信息化部公布名单。")
    generic = corepress.parse_text(text, paper="generic")
    guilin = corepress.parse_text(text, paper="guilin")
    assert [a.title.text for a in guilin.articles] == ["桂林市推进漓江保护", "广西新增绿色工厂"]
    assert guilin.articles[1].reporters == ("梁某",)
    # without the plugin nothing says 广西云—… is a lead: that knowledge is the plugin's reason to exist
    assert len(generic.articles) < len(guilin.articles)


def test_a_column_break_inside_a_common_word_is_joined():
    """预期范|围之内: the heading-shaped first line of a paragraph ends inside a word (范围) the page
    uses only there; the word list tells the cut from a headline, which ends on a whole word."""
    import corepress
    from corepress.rules.lexicon import word_across

    text = ("物价总体平稳\n\n本报讯 记者王明报道 据市统计局消息，去年全市物价运行平稳。\n\n"
            "今年全市居民消费价格总体平稳，物价涨幅控制在预期范\n\n围之内。市场监管部门表示，将继续加强价格监测。\n")
    (article,) = corepress.parse_text(text, paper="generic").articles
    assert article.title.text == "物价总体平稳"
    assert [p.text.text for p in article.paragraphs] == [
        "据市统计局消息，去年全市物价运行平稳。",
        "今年全市居民消费价格总体平稳，物价涨幅控制在预期范围之内。市场监管部门表示，将继续加强价格监测。",
    ]
    assert word_across("预期范", "围之内") == "范围"
    assert word_across("物价总体平稳", "本报讯") is None  # a headline, then a lead: no word across
    assert word_across("平稳。", "围之内") is None  # only ideographs make words across a cut


# --- pieces of the fast paths: each must say what the slow way says ----------------------------
def test_detection_finds_exactly_the_signal_words_on_a_page():
    """One overlapped pass finds every word the page holds, words inside or at the start of
    longer ones too (辽宁 in 辽宁省, 宁省 across it), and none it does not."""
    import random

    from corepress.kit.detection import PaperSignals
    from corepress.values.model import Paper

    rng = random.Random(7)
    alphabet = "辽宁省营口市委中"
    for _ in range(500):
        words = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 8))}
        half = len(words) // 2
        signals = PaperSignals(
            paper=Paper(id="x", name="X"),
            terms={w: 0.5 for w in sorted(words)[:half]},
            negative={w: 0.5 for w in sorted(words)[half:]},
            anchors=tuple(sorted(words))[:2],
        )
        text = "".join(rng.choice(alphabet + "。的") for _ in range(rng.randint(0, 60)))
        assert signals._words_on(text) - {""} == {w for w in words if w in text}


def test_cohesion_bigrams_as_numbers_measure_what_string_bigrams_do():
    import math
    import random

    from corepress.rules import patterns as P
    from corepress.rules.cohesion import lexical_cohesion

    def reference(before, after):
        def grams(text):
            han = "".join(P.HAN.findall(text))
            return {han[i:i + 2] for i in range(len(han) - 1)}

        left, right = grams(before[-300:]), grams(after[:300])
        return 1.0 if not left or not right else len(left & right) / math.sqrt(len(left) * len(right))

    rng = random.Random(3)
    alphabet = "会议强调改革开放发展，。 ab𠀀"
    for _ in range(300):
        before = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        after = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        assert lexical_cohesion(before, after) == reference(before, after)


@pytest.mark.parametrize("cut", [
    "(\n\n上接第一版) 回望",  # the opening bracket on a line of its own
    "(上接\n第一版) 回望",  # the line break inside the formula (hypothesis found this one)
    "(上接第一\n\n版) 回望",
])
def test_a_formula_cut_by_a_line_break_joins_as_its_repaired_text_does(cut):
    # a continued-part formula cut by a line break, then a paragraph whose sentence a line break cuts:
    # joined, the formula opens a body paragraph, and the cut sentence is joined too, just as when the
    # repaired text (where the formula is one block) is parsed again
    text = (
        "全市经济稳中向好\n\n本报讯 记者王明报道 一季度全市生产总值增长百分之六。\n\n"
        f"{cut}刚刚过去的一年，全市上下真抓实干，经济运行\n稳中有进，成绩来之不易。\n"
    )
    page = corepress.parse_text(text, paper="generic")
    assert "经济运行稳中有进" in "".join(p.text.text for a in page.articles for p in a.paragraphs)
    again = corepress.parse_text(page.repaired_text(), paper="generic", format=page.source.format)
    assert [r for r in again.repairs if r.rule == "join_column_break"] == []


def _reparse_joins(page):
    again = corepress.parse_text(page.repaired_text(), paper=page.paper.id or "generic", format=page.source.format)
    return [r for r in again.repairs if r.rule == "join_column_break"]


def test_a_line_whose_full_stop_was_cut_off_is_judged_whole():
    # "…主 持会议并讲话" alone has a subtitle's shape, but the full stop on the next line makes it the end of
    # a sentence: both breaks are joined, as they are when the repaired text (one block) is parsed again
    text = "  会议回顾了去年的工作，部署了今年的任务。市委副书记、市长\n张海明主 持会议并讲话\n。"
    page = corepress.parse_text(text)
    [paragraph] = [p.text.text for a in page.articles for p in a.paragraphs]
    assert paragraph.endswith("市长张海明主 持会议并讲话。")
    assert _reparse_joins(page) == []


def test_an_indented_page_judges_an_unindented_line_with_its_cut_full_stop():
    body = "\u3000\u3000今年以来，全区上下聚焦重点任务，各项工作有序推进。\n"
    text = "区里开好年初工作会\n" + body * 3 + "\u3000\u3000会议要求各部门抓好落实。区委书记\n李国强出 席会议\n。\n"
    page = corepress.parse_text(text)
    paragraphs = [p.text.text for a in page.articles for p in a.paragraphs]
    assert paragraphs[-1].endswith("区委书记李国强出 席会议。")
    assert _reparse_joins(page) == []


def test_a_split_repeated_kicker_survives_the_repaired_text():
    # the kicker printed on the title line and repeated below: split into a headline stack, which a
    # paragraph broken off at a comma above does not swallow, on the page and on its repaired text
    text = (
        "沿海城市加快发展海洋经济，进一步扩大开放，\n\n"
        "奋楫争先 向海图强\n\n奋楫争先\n\n本报记者 王明\n\n全市海洋生产总值去年增长百分之八。\n"
    )
    page = corepress.parse_text(text)
    assert [d.text.text for d in page.dropped if d.reason == "repeated_kicker"] == ["奋楫争先"]
    article = next(a for a in page.articles if a.title is not None and a.title.text == "向海图强")
    assert article.kicker is not None and article.kicker.text == "奋楫争先"
    again = corepress.parse_text(page.repaired_text(), paper="generic", format=page.source.format)
    assert [r for r in again.repairs if r.rule not in MARKUP_RULES] == []
    assert [d.text.text for d in again.dropped if d.reason == "repeated_kicker"] == ["奋楫争先"]
    assert [(a.kicker and a.kicker.text, a.title and a.title.text) for a in again.articles] == [
        (a.kicker and a.kicker.text, a.title and a.title.text) for a in page.articles
    ]


# a page with a body paragraph, then a paragraph whose first line a column break cut off
_CUT_PAGE = "全县冬春农田水利建设全面铺开\n\n本报讯 记者王明报道 全县冬春水利建设正在推进。\n\n{a}\n\n{b}\n"


@pytest.mark.parametrize("a, b", [
    ("2025年11月以来，全县先后组织", "四千多名群众投工投劳，清淤沟渠二百余公里。"),  # a date opens the sentence
    ("在工程推进过程中，县水利局", "派出技术人员驻村指导，确保质量。"),  # a frame 在…过程中
    ("由于今冬降水偏少，部分村", "抢抓时机开展河道清淤，进度快于往年。"),  # a subordinate clause 由于…
])
def test_a_line_that_opens_a_sentence_with_a_frame_is_joined_to_its_rest(a, b):
    assert body(_CUT_PAGE.format(a=a, b=b), paper="generic")[-1][-1] == a + b


def test_a_headline_that_opens_with_a_frame_over_a_headline_stays_a_headline():
    # 疫情期间，… opens like a sentence, but the line under it is a title: a kicker, not a cut paragraph
    text = (
        "前文说完了。\n\n春节期间，各地图书馆推出线上服务\n\n书香不打烊\n\n"
        "本报记者 李华\n\n全省公共图书馆开通了线上借阅。\n"
    )
    page = corepress.parse_text(text, paper="generic")
    article = page.articles[-1]
    headlines = [x.text for x in (article.kicker, article.title, article.subtitle) if x is not None]
    assert headlines == ["春节期间，各地图书馆推出线上服务", "书香不打烊"]
    assert [p.text.text for p in article.paragraphs] == ["全省公共图书馆开通了线上借阅。"]


@pytest.mark.parametrize("a, b", [
    ("施工队从清晨一直干到晚上11", "点多，完成了全部管道铺设。"),
    ("全县今年新建高标准农田300", "万亩，超额完成年度任务。"),
])
def test_a_number_cut_from_its_unit_is_joined(a, b):
    assert body(_CUT_PAGE.format(a=a, b=b), paper="generic")[-1][-1] == a + b


def test_a_lead_formula_cut_in_its_date_is_joined():
    text = "两国签署合作协议\n\n新华社北京1月14\n\n日电 两国政府14日在北京签署经贸合作协议。\n"
    page = corepress.parse_text(text, paper="generic")
    [article] = page.articles
    assert (article.agency, article.dateline) == ("新华社", "北京1月14日")
    assert [p.text.text for p in article.paragraphs] == ["两国政府14日在北京签署经贸合作协议。"]


def test_an_article_of_a_regulation_is_body_whatever_its_length():
    text = (
        "某某市物业管理条例\n\n第一章 总则\n\n第一条 为了规范物业管理活动，根据有关法律，制定本条例。\n\n"
        "第二条 本市行政区域内的物业管理活动适用\n\n本条例。\n"
    )
    assert body(text, paper="generic")[-1][-1] == "第二条 本市行政区域内的物业管理活动适用本条例。"


def test_a_long_line_after_a_finished_paragraph_is_the_start_of_a_cut_one():
    a = "河北省发改委在做好市场供应、物资保障和运输协调的同时，要求各市"
    b = "协调大型物流园区尽快复工，保障生活物资配送。"
    assert body(_CUT_PAGE.format(a=a, b=b), paper="generic")[-1][-1] == a + b


@pytest.mark.parametrize("a, b", [
    # a long subhead: the line below opens a sentence with its speaker, a date or a quote
    ("创新链与产业链加速深度融合，推动科技成果加快转化为现实生产力", "县委书记张明强调：“要让企业成为创新的主体。”"),
    ("发挥基层党组织战斗堡垒作用，筑牢群防群治的严密防线", "2月8日，记者来到城南社区，志愿者正在登记来往车辆。"),
    ("亲人在家里，家在咱心里，怀着这份惦念，日子就会更有奔头", "“爸，我们到家了！”门一开，老人愣了一下。"),
])
def test_a_long_subhead_over_a_sentence_of_its_own_is_not_joined(a, b):
    assert body(_CUT_PAGE.format(a=a, b=b), paper="generic")[-1][-2:] == [a, b]


def test_a_heading_over_a_cut_own_lead_is_not_read_as_part_of_the_formula():
    # 本 | 报讯 is one formula cut in two; the heading above it is not a paper's name (新突破本报讯)
    text = "前文说完了。\n\n科技创新实现\n\n新突破\n\n本\n\n报讯 记者王明报道 全省高新技术企业数量持续增长。\n"
    page = corepress.parse_text(text, paper="generic")
    article = page.articles[-1]
    assert article.agency == "本报" and article.reporters == ("王明",)
    assert [p.text.text for p in article.paragraphs] == ["全省高新技术企业数量持续增长。"]
    assert _reparse_joins(page) == []


def test_a_byline_cut_in_four_is_read_whole():
    # 《 | 人 | 民日报》记者 王 | 明 李华: breaks inside the paper's name and inside a reporter's name
    text = "  《\r\n 光\n明日报》记者 王\r\n明 李华\n\n新建的三座大桥已全部合龙。\n"
    page = corepress.parse_text(text)
    assert [b.text.text for b in page.blocks][:1] == ["《光明日报》记者 王明 李华"]
    assert _reparse_joins(page) == []


def test_a_byline_cut_in_three_is_read_whole():
    # 《 | 人民日报》 | 评论员: the bracket's line, then the paper, then the role (hypothesis found it)
    text = "《\r\n光明日报》\n\n评论员\n\n# 把稳就业摆在突出位置\n\n稳就业就是稳民生。\n"
    page = corepress.parse_text(text)
    assert [b.text.text for b in page.blocks][:1] == ["《光明日报》评论员"]
    assert _reparse_joins(page) == []


def test_a_byline_cut_by_a_line_break_is_read_whole():
    # 《 | 人民日报》记者 …: the byline put back together is a byline, and the sentence above it, which
    # promises more with its colon, is not glued onto it (hypothesis found the page that did so on its
    # repaired text only)
    text = "前文说完了。\n\n记者在工地现场看到这样一组数据：\n\n《\n\n光明日报》记者 王明 李华\n\n新建的三座大桥已全部合龙。\n"
    page = corepress.parse_text(text)
    article = page.articles[-1]
    assert article.byline is not None and article.byline.text == "《光明日报》记者 王明 李华"
    assert article.reporters == ("王明", "李华")
    assert _reparse_joins(page) == []


@pytest.mark.parametrize("lead, agency, dateline", [
    ("新华社北京2025年12月31日电", "新华社", "北京2025年12月31日"),  # the wire writes the year at the turn of a year
    ("本报北京2025年12月31日电（记者王明）", "本报", "北京2025年12月31日"),
])
def test_a_lead_whose_date_has_its_year_is_a_lead(lead, agency, dateline):
    text = f"前文说完了。\n\n老同志追悼会在京举行\n\n{lead} 某某同志的遗体今天在北京火化。\n"
    article = corepress.parse_text(text, paper="generic").articles[-1]
    assert article.title is not None and article.title.text == "老同志追悼会在京举行"
    assert (article.agency, article.dateline) == (agency, dateline)
    assert [p.text.text for p in article.paragraphs] == ["某某同志的遗体今天在北京火化。"]


def test_a_paragraph_below_is_judged_with_its_own_breaks_joined_however_deep():
    # whether 作组…生 heads a paragraph that reads as a headline depends on whether its own line below
    # (产，…等方) is joined to the line below that (面的…。): judged only one level deep, the page and its
    # repaired text decided differently (hypothesis found the page)
    text = "  据 了解，水利部已派出 10 个工\r\n作组分赴各省，指导各地做好“春灌”生\n\n产，协调解决农机调度、油料供应、烘干仓储等方\r\n面的突出问题。"
    page = corepress.parse_text(text)
    [paragraph] = [p.text.text for a in page.articles for p in a.paragraphs]
    assert paragraph.endswith("派出10个工作组分赴各省，指导各地做好“春灌”生产，协调解决农机调度、油料供应、烘干仓储等方面的突出问题。")
    assert _reparse_joins(page) == []
