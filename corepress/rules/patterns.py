r"""Named pattern pieces for Chinese newspaper text, compiled once per process.

Built like wordfreq's ``tokens.py``: small named pieces, assembled into
VERBOSE patterns with a comment per case.  ``\p{Han}`` (the ``regex`` module)
stands for any CJK ideograph.  None of the patterns nests unbounded
repetitions, so none can backtrack catastrophically; every search still passes
a timeout (:data:`corepress.values.traced.PATTERN_TIMEOUT`).
"""

from __future__ import annotations

import regex

V = regex.VERBOSE | regex.VERSION1

# --- pieces ------------------------------------------------------------------------
SP = r"[ \u3000\u00a0]"  # a space as extraction writes it (ASCII, full-width, no-break)
OPEN = r"[（(]"
CLOSE = r"[）)]"
# a personal name: 2–4 ideographs, or a minority name joined by a middle dot (买买提·艾力)
NAME = r"\p{Han}{2,4}(?:[·•]\p{Han}{2,6})?"
# a name as layout prints a two-character one, letter-spaced: 杨  军
SPACED_NAME = rf"(?:\p{{Han}}(?:{SP}{{1,3}}\p{{Han}}){{1,3}}|{NAME})"
# one or more names separated by spaces or 、
NAMES = rf"{NAME}(?:(?:{SP}+|、){NAME}){{0,7}}"
# names of a credit line, where a two-character name is printed letter-spaced to the width of three:
# 何晓光 林 青 / 周  明  何晓光 (each item at most 4 ideographs, so a failed match backtracks little)
SPACED_NAMES = rf"{SPACED_NAME}(?:(?:{SP}+|、){SPACED_NAME}){{0,7}}"
CN_NUMERAL = "〇零一二三四五六七八九十百两"
# a digit as pages print it: ASCII or full-width (２０２６); values are read after
# corepress.rules.text.fold_width, which maps one to the other code point for code point
DIGIT = "[0-9０-９]"
PAGE_NO = rf"(?:[A-ZＡ-Ｚ]?{DIGIT}{{1,3}}|[{CN_NUMERAL}]{{1,4}})"
MONTH_DAY = rf"{DIGIT}{{1,2}}月{DIGIT}{{1,2}}日"
# a dateline's date: 4月1日, with the year where the wire writes one (新华社北京2019年12月31日电, at the turn of a year)
DATELINE_DATE = rf"(?:{DIGIT}{{4}}年)?{MONTH_DAY}"
# news agencies whose dateline formula is "AGENCY + place + date + 电"
AGENCY = r"新华社|中新社|中国新闻社|人民日报|光明日报|经济日报|央视新闻|人民网|新华网"
TERMINAL = "。！？!?…"
CLOSERS = "”’」』）)》〉】\"'"
BREAK_END = "、，,：:；;—－-（(“‘《〈【「『·"  # a block ending in one of these continues


def _c(pattern: str) -> "regex.Pattern[str]":
    return regex.compile(pattern, V)


# --- lead formulas (电头) at the start of a body block ------------------------------------
AGENCY_LEAD = _c(
    rf"""
    ^(?P<ju>据)?                          # 据新华社… reports another outlet's story
    (?P<agency>{AGENCY})
    (?P<place>\p{{Han}}{{2,10}}?)         # 北京, 济南, 华盛顿 (lazy: stops at the date)
    (?P<date>{DATELINE_DATE})(?:[上下]午|晚)?
    电
    (?:{SP}*{OPEN}(?:记者|通讯员)?{SP}*(?P<names>{NAMES}){SP}*{CLOSE})?   # （记者彭韵佳）
    """
)
OWN_LEAD = _c(
    rf"""
    ^本报
    (?:
        讯                                                  # 本报讯 …
      | (?P<place>\p{{Han}}{{2,10}}?)(?P<date>{DATELINE_DATE})电    # 本报北京4月1日电 (national papers)
    )
    (?:
        {SP}*{OPEN}{SP}*(?:记者|通讯员|实习生)?{SP}*(?P<names>{NAMES}){SP}*
            (?:(?:通讯员|实习生){SP}*(?P<names2>{NAMES}){SP}*)?{CLOSE}   # 本报讯（记者刘健）
      | {SP}*记者{SP}*(?P<names3>{NAMES}){SP}*报道                      # 本报讯 记者叶梦报道
    )?
    """
)
PAPER_LEAD = _c(
    rf"""
    ^(?P<agency>\p{{Han}}{{2,8}}?(?:日报|晚报|早报|商报|(?<!本)报))讯   # 广西日报讯 (…本报讯 is our own paper's: 本报讯)
    (?:{SP}*{OPEN}{SP}*(?:记者)?{SP}*(?P<names>{NAMES}){SP}*{CLOSE})?  # （记者梁菁惠）
    """
)

# --- bylines (署名), a block of their own -------------------------------------------------
BYLINE = _c(
    rf"""
    ^[□■▲◆●◇○]?{SP}*
    (?:
        (?P<agency>新华社|中新社|本报|《\p{{Han}}{{2,10}}》)
        (?:特约|首席|实习)?(?P<role>记者|通讯员|评论员|特约评论员)
      | (?P<role2>记者)
    )
    (?:{SP}*(?P<names>{NAMES}))?
    {SP}*$
    """
)

# --- tails and jumps ----------------------------------------------------------------------
AGENCY_TAIL = _c(
    rf"""
    (?:^|(?<=[{TERMINAL}”』」]))
    {OPEN}?(?P<agency>{AGENCY})(?P<place>\p{{Han}}{{2,10}}?)(?P<date>{DATELINE_DATE})电{CLOSE}?{SP}*$
    """
)
REPRINT = _c(
    rf"""
    {OPEN}{SP}*(?:转自|转载自|摘自|来源[：:]?|原载)
    {SP}*《?(?P<source>[^》（）()]{{2,16}}?)》?
    (?:\p{{Han}}{{0,8}})?                   # 2024年7月26日 etc.
    {SP}*{CLOSE}{SP}*$
    """
)
CONTINUED_TO = _c(rf"{OPEN}{SP}*下转(?:第)?{SP}*(?P<page>{PAGE_NO}){SP}*版{SP}*{CLOSE}{SP}*$")
CONTINUED_FROM = _c(rf"^{OPEN}{SP}*上接(?:第)?{SP}*(?P<page>{PAGE_NO}){SP}*版{SP}*{CLOSE}{SP}*")
# an author or reporter named in brackets after the last sentence: 。（任达轩）
AUTHOR_TAIL = _c(
    rf"""
    (?<=[{TERMINAL}”』」])
    {OPEN}(?:(?:本报)?记者|通讯员)?{SP}*(?P<names>{NAMES}){SP}*{CLOSE}{SP}*$
    """
)
# a closing note standing on a line of its own, in brackets, that names who wrote or filed the story:
# （本报记者 张三 李四）, （作者为中国驻某国大使）, （新华社北京1月1日电 记者王五）, （本报某地1月1日电）, （文 某某整理）
CLOSING_NOTE = _c(
    rf"""
    ^{OPEN}
    (?=[^（）()]{{0,60}}(?:记者|作者|通讯员|特约|电|整理|编译|供稿|采写|执笔|撰稿|综合|报道|来源|摘编|编辑|到此结束|系列\p{{Han}}{{0,4}}结束|未完待续|待续))
    [^（）()\n]{{2,160}}
    {CLOSE}{SP}*$
    """
)
# the reporters inside a closing note: 本报记者 张三、李四 / 记者王五
NOTE_NAMES = _c(rf"(?:记者|通讯员){SP}*(?P<names>{NAME}(?:(?:{SP}+|、){NAME}){{0,30}})")
# a bracketed name on a line of its own after the story: （赵展慧）; an editor's signature: ——编 者
AUTHOR_LINE = _c(rf"^{OPEN}{SP}*(?P<names>{NAMES}|{SPACED_NAME}){SP}*{CLOSE}{SP}*$|^[—－]{{1,2}}{SP}*编{SP}*者{SP}*$")
# an unbracketed production note closing a story or a page: 版式设计：X, 制图：X, 参与采写：X, 相关报道见第四版
PRODUCTION_NOTE = _c(
    rf"""
    ^(?:本版|本栏)?(?:版式设计|版面设计|制图|图表制作|图片来源|题图|插图|美编|责编|责任编辑|数据来源|资料来源|参与采写|采写)
    {SP}*[：:]{SP}*\S.{{0,60}}$
  | ^本版编辑{SP}*[：:]{SP}*\S.{{0,60}}$
  | ^相关(?:报道|评论|新闻|图片|链接)见.{{1,20}}$
    # where readers write to the column or the page: 电子信箱：…@… / 栏目投稿邮箱：…@…
  | ^\p{{Han}}{{0,6}}(?:信箱|邮箱|邮件|E-?mail|e-?mail){SP}*[：:]{SP}*[\w.+-]+@[\w.-]+{SP}*$
    """
)
END_MARK = _c(rf"(?<=[{TERMINAL}”』」]){OPEN}完{CLOSE}{SP}*$")
# photo credit: 新华社发（前方平摄） / 新华社记者 X 摄 / 本报记者 X 摄
CREDIT = _c(
    rf"""
    (?:^|(?<=[{TERMINAL}”』」{SP}]))
    (?P<agency>新华社|中新社|本报)?(?:特约)?(?:记者|通讯员|摄影记者)?(?:发)?{SP}*
    {OPEN}?{SP}*(?P<names>{SPACED_NAMES}){SP}*摄(?:影报道)?{SP}*{CLOSE}?{SP}*
    (?:{OPEN}\p{{Han}}{{2,8}}{CLOSE}{SP}*)?$     # 摄（影像中国） / 摄（人民视觉）: the picture agency
    """
)
# a credit that names a picture's source without a 摄 after the names, at the end of a caption or on a
# line of its own: 新华社发 (a wire picture), 摄影：何晓光 林 青（某某图片社）, 周 明图 林 青文 (pictures
# by one, words by another; or 文 first; a space always parts the two)
PICTURE_CREDIT = _c(
    rf"""
    (?:^|(?<=[{TERMINAL}”』」{SP}]))
    (?:
        (?P<agency>新华社|中新社)发
      | 摄影{SP}*[：:]{SP}*(?P<names>{SPACED_NAMES})
      | (?P<names>{SPACED_NAMES})图{SP}+(?P<writers>{SPACED_NAMES}){SP}*文     # the space after 图 parts the two credits
      | (?P<writers>{SPACED_NAMES})文{SP}+(?P<names>{SPACED_NAMES}){SP}*图
    )
    {SP}*(?:{OPEN}\p{{Han}}{{2,8}}{CLOSE}{SP}*)?$     # （影像中国）: the picture agency
    """
)

# a title that ends with the column it runs in, in brackets: 让梦想照进现实（人民观点） / …(国家治理的基层实践)
# (an exclamation or a question may end the title before its label: 真好！（新春走基层）; so may one
# inside the quotation the title is: “老乡，咱们一起干！”（基层来信）)
# A label of up to 12 ideographs may follow a title of two; a longer one (扎实推进乡村振兴的一线见闻, 13)
# only a title of five or more: after a name it is the person's post (王林（某某军区某某边防团某连指导员）).
_TITLE_END = r"[！？!?]?[”」』]?"
COLUMN_LABEL_END = _c(
    rf"""
    (?:[^{TERMINAL}，,。]{{2,}}{_TITLE_END}{OPEN}\p{{Han}}{{2,12}}
      | [^{TERMINAL}，,。]{{5,}}{_TITLE_END}{OPEN}\p{{Han}}{{13,16}})
    (?:·\p{{Han}}{{2,12}})?{CLOSE}$
    """
)
# the account a quoted post came from, on a line of its own under the post: ——@某网友
POST_ATTRIBUTION = _c(rf"^[—－]{{1,2}}{SP}*[@＠]\S{{1,30}}$")
# the label over a picture story or a page of pictures, standing for its title
PICTURE_LABEL = _c(r"^(?:图片报道|图片新闻|摄影报道|新闻图片|组图)$")
# a title that exclaims or asks, then names its column: 开学了，真好！（新春走基层） / 该不该花？（热点辨析）;
# a quoted one closes its quotation after the mark: “再苦也值得！”（来自一线的报道）
EXCLAIMED_TITLE = _c(rf"^(?P<title>[^{TERMINAL}]{{2,}})[！？!?](?P<quote>[”」』]?){OPEN}\p{{Han}}{{2,12}}(?:·\p{{Han}}{{2,12}})?{CLOSE}$")
# the article of a law or regulation that opens a line: 第十三条 / 第 5 条 (its text follows)
ORDER_ARTICLE = _c(rf"^第{SP}*[一二三四五六七八九十百零〇\d]{{1,5}}{SP}*条")

# A frame that opens a sentence (状语 before the subject), then a comma: the line goes on as a
# sentence.  Headlines seldom open so (a kicker may: 疫情期间，各地…, so the joins ask for more
# than this), the first line of a paragraph cut by a column break often does.  Built from pieces:
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})年"
# a date: 2019年 / 2019年4月 / 2019年4月1日, with a part of it (2019年初, 2019年4月以来); 1月1日
_DATE = rf"(?:{_YEAR}(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:[上下]半年|[春夏秋冬]|初|底|末|以来)?|\d{{1,2}}月\d{{1,2}}日|上世纪\d{{2}}年代\p{{Han}}{{0,2}})"
# a time word that stands alone before the comma
_TIME_WORD = r"(?:当年|今年|去年|明年|现在|今天|如今|近年来|近些年|多年来|这些年|那年|当时|此前|此后|随后|后来|眼下|过去|那段时间)"
# a stretch of time named by what happened: 离开家乡以来, 春节前夕, 疫情期间 (bounded: the frame is short)
_SPAN = r"[^，,。]{1,10}(?:以来|期间|前夕|之际|时节|之初|当天|当晚|那天|以后|之后)"
# a duration: 不久前, 三年后, 10天里, 几个月来
_DURATION = r"(?:不久|\d+[天年月日周]|[一二三四五六七八九十几两数多半]+(?:天|年|个月|周|日|个?小时))(?:前|后|以来|来|里|间)"
# a frame of place or matter: 在调研过程中, 在这一背景下, 为了…, 随着… (not 面对…, 只要…: headlines
# and commentary subtitles open so — 面对风险，携手应对 / 只要真抓实干，就能…)
_FRAME = r"(?:在[^，,。]{1,14}(?:方面|上|中|下|时|期间|过程中|背景下|之际|以来)|(?:为了|随着|对于|作为|根据|按照|经过)[^，,。]{1,16})"
# a subordinate clause: 由于…, 虽然…, 如果… (a headline states, it seldom concedes or supposes)
_CLAUSE = r"(?:由于|虽然|尽管|如果|即使|因为)[^，,。]{1,20}"
# a connective: 首先, 与此同时, 事实上 …
_CONNECTIVE = r"(?:首先|其次|再次|最后|一方面|另一方面|同时|此外|另外|与此同时|不仅如此|事实上|实际上|总之|比如|例如|其中|可见|显然|原来|于是|然而|不过|但是|因此|所以|而且|并且)"
OPENING_CLAUSE = _c(rf"^(?:{_DATE}|{_TIME_WORD}|{_SPAN}|{_DURATION}|{_FRAME}|{_CLAUSE}|{_CONNECTIVE})[，,]\S")

# a list item's number: （一） （2） 31. 一、 第三条 ①
ENUMERATOR = _c(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、](?!\d)|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百\d]{1,4}条|[①②③④⑤⑥⑦⑧⑨⑩])")

# Characters that bind to what comes before them: a block that starts with one continues a cut
# sentence (的发展, 了解, 们的, 于是 aside — see the lookahead), whatever the layout shows.
CONTINUATION_START = _c(r"^(?:[的了着们地得之者其所]|于(?!是)|过(?![去年程])|及(?!时))")
# Characters a headline or a finished clause cannot end with: structural words that need a complement
# (……的 / ……和 / ……在 / ……对 / ……将): a block that ends with one was cut by a column break.
DANGLING_END = _c(r"(?:[的和与及在对把被将为从向以而或并且是给跟同让使由当就也都还又再很更最其之这那每各该此])$")

# how a news story's first sentence opens: with its time or its source
LEDE_OPENER = _c(rf"^(?:近日|日前|近期|记者[^，。]{{0,12}}(?:获悉|了解到|从)|当地时间|{MONTH_DAY}|\d{{4}}年\d{{1,2}}月)")

HAN = _c(r"\p{Han}+")

# --- headline pieces ------------------------------------------------------------------------
SUBTITLE = _c(
    rf"""
    ^(?:
        [—－]{{1,2}}\S                                             # ——学习贯彻…  / ——访…
      | {NAMES}(?:{SP}*、{SP}*{NAME})*
        (?:主持(?:并讲话)?|参加并讲话|出席并讲话|讲话|出席|参加|致辞|作报告|调研|会见|看望)$  # 李军主持
    )
    """
)
# a kicker (引题) says who/what leads into the title: ends with a reporting verb or has a ·label
KICKER = _c(
    r"""
    (?:时|上|中|后)?(?:强调|指出|要求|表示|提出|寄语|希望)$
    | \p{Han}·\p{Han}
    """
)
# column tags (栏目) nobody registered: short names ending in the usual column words
COLUMN = _c(
    r"""
    ^\p{Han}{2,10}
    (?:进行时|在行动|面对面|新观察|观察|速递|快评|时评|短评|微评|聚焦|纪实|访谈|特写|追踪|一线|新语|漫谈|专栏)$
    """
)
ADVERT_ISSUER = _c(rf"^\p{{Han}}[\p{{Han}}（）()、]{{2,40}}?{SP}*宣$|^公益广告$")
# the label a paper prints over an advert, or alone on a page of adverts (the e-paper text of an
# advert page is often just this); unlike an issuer line it claims no slogan lines in the page head
ADVERT_LABEL = _c(r"^(?:商业)?广告$")
BADGE = _c(
    rf"""
    (?:\d+{SP}*强|百强|十强|十佳|先进单位|创新单位|示范单位|贡献媒体|品牌媒体|优秀媒体|[一二三]等奖|金奖)$
    """
)

# --- sentences and headings --------------------------------------------------------------------
# a clause that frames reported speech or opens a sentence: headings never have one
SENTENCE_CUE = _c(
    rf"""
    (?:说|表示|指出|强调|认为|介绍|提醒|预计|透露|称|获悉|了解到|要求|告诉记者)[，,：:]
    | ^(?:近日|日前|目前|当前|此外|同时|据悉|据了解|截至|随后|会上|其中|然而|但是|因此|所以)[，,]
    | ^{MONTH_DAY}(?:[上下]午|晚)?[，,]
    """
)
HAN_SPACE_ALNUM = _c(r"(?<=\p{Han})[ \u3000\u00a0]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%‰℃])[ \u3000\u00a0]+(?=\p{Han})")
# a letter-spaced run: single ideographs separated by single spaces (营 口 日 报, 胡 喆)
LETTER_SPACED = _c(r"(?<!\S)\p{Han}(?:[ \u3000]\p{Han}){1,}(?!\S)")
# tokens whose inner spacing must never be touched: URLs, e-mail, CN serials, ISSN
PROTECTED_TOKEN = _c(r"https?://|www\.|@|\bCN\d{2}-\d{4}|ISSN|\.[a-z]{2,4}\b")
# the whitespace-separated word that ends at a position (searched backwards from it, ``endpos``) and
# the one that starts at a position (matched there): read from the position outwards, so asking at
# every space of a long line costs the words' lengths, not the line's.  Whitespace is what
# ``str.split()`` splits on (``str.isspace``), spelled out: the module's \s leaves out \x1c–\x1f.
_SPLIT_SPACE = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace())
TOKEN_BEFORE = _c(rf"(?r)([^{_SPLIT_SPACE}]+)[{_SPLIT_SPACE}]*")
TOKEN_AFTER = _c(rf"[{_SPLIT_SPACE}]*([^{_SPLIT_SPACE}]+)")
MARKDOWN_HEADING = _c(r"^(?P<marks>\#{1,6})[ \t]+")
HALF_WIDTH_PAREN = _c(r"(?<=\p{Han})\((?P<inner>[^()\n]{1,40})\)|\((?P<inner2>[^()\n]{1,40})\)(?=\p{Han})")
