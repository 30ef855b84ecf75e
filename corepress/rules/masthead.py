"""Reading the masthead (报头) and the page furniture around it.

:class:`MastheadParser` is the generic parser; a paper plugin configures one
with what it knows (its name forms, badges, extra fields) instead of writing
its own.  The parser looks at the head of the page only: from the first line to
the last line that yields a masthead fact, within the lines before the first
long paragraph.  Adverts (a slogan plus ``…办公室 宣``) and award badges in that
area are dropped with their reason; lines in it that give no fact are kept in
the masthead as ``extra``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import attrs
import regex

from corepress.rules import patterns as P
from corepress.rules.repairs import collapse_letter_spacing_in
from corepress.rules.text import fold_width, visible_length
from corepress.values.hooktypes import PageView
from corepress.values.model import Block, Dropped, Masthead, MastheadLine, MastheadResult, Notice, Paper, Repair
from corepress.values.traced import PATTERN_TIMEOUT

V = regex.VERBOSE | regex.VERSION1
HEAD_LINES = 40
BODY_LINE = 60  # a line this long is article text: the head ends before it

_DATE = r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
_GANZHI = r"[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年"
_LUNAR_MD = r"(?:闰)?(?:正|十一|十二|冬|腊|[一二三四五六七八九十])月(?:初[一二三四五六七八九十]|二十|三十|十[一二三四五六七八九]?|廿[一二三四五六七八九]?)"
_TERMS = "立春|雨水|惊蛰|春分|清明|谷雨|立夏|小满|芒种|夏至|小暑|大暑|立秋|处暑|白露|秋分|寒露|霜降|立冬|小雪|大雪|冬至|小寒|大寒"

FieldParser = Callable[[Any], Mapping[str, Any]]  # takes a regex match


def _iso(m) -> Optional[str]:
    try:
        return _dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:  # 2026年2月30日: a misprint or an OCR slip, not a date
        return None


def _date(key: str) -> FieldParser:
    def parse(m: Any) -> Mapping[str, Any]:
        iso = _iso(m)
        return {key: iso} if iso else {}

    return parse


# (field name, pattern, what the match gives). Order matters only inside this table:
# each whitespace-separated token of a line is given to the first entry that matches.
# The fields in WIDTH_FOLDED see the token with full-width digits and letters folded
# to ASCII (２０２６年４月２日, ＣＮ２１－００１２, 今日８版, 第２０８７８号): their values are
# ASCII, and the line itself, with its spans, stays as printed.
FIELDS: Tuple[Tuple[str, "regex.Pattern[str]", FieldParser], ...] = (
    ("founded", regex.compile(rf"创刊(?:于|日期[:：]?)?\s*{_DATE}", V), _date("founded")),
    ("date", regex.compile(rf"^{_DATE}$", V), _date("date")),
    ("weekday", regex.compile(r"^(?:星期|周)[一二三四五六日天]$", V), lambda m: {"weekday": m.group(0)}),
    ("cn", regex.compile(r"(?:国内统一(?:连续出版物号|刊号)[:：]?)?\s*(?P<cn>CN\s*\d{2}\s*[-－]\s*\d{4}(?:/[A-Z]{1,2})?)", V),
     lambda m: {"cn": regex.sub(r"[\s－]", lambda x: "-" if x.group(0) == "－" else "", m.group("cn"))}),
    ("pages", regex.compile(r"^今日\s*(?P<n>\d{1,3})\s*版$", V), lambda m: {"pages": int(m.group("n"))}),
    ("issue_number", regex.compile(r"^(?P<total>总)?第\s*(?P<n>\d{1,6})\s*(?:号|期)$", V),
     lambda m: {"total_issue" if m.group("total") else "issue_number": m.group("n")}),
    ("solar_term", regex.compile(rf"^(?P<v>(?:{_LUNAR_MD})?(?:{_TERMS}))$", V), lambda m: {"solar_term": m.group("v")}),
    ("lunar", regex.compile(rf"^(?:农历)?(?P<gz>{_GANZHI})?(?P<md>{_LUNAR_MD})?$", V),
     lambda m: {k: v for k, v in (("lunar_year", m.group("gz")), ("lunar_day", m.group("md"))) if v}),
    ("supervisor", regex.compile(r"^(?P<v>\p{Han}{2,24}?)主管(?P<also>主办)?$", V),
     lambda m: {"supervisor": m.group("v"), **({"sponsor": m.group("v")} if m.group("also") else {})}),
    ("sponsor", regex.compile(r"^(?P<v>\p{Han}{2,24}?)主办$", V), lambda m: {"sponsor": m.group("v")}),
    ("publisher", regex.compile(r"^(?P<v>\p{Han}{2,24}?)出版(?:发行)?$", V), lambda m: {"publisher": m.group("v")}),
    ("hotline", regex.compile(r"^(?:新闻)?(?:热线|电话|热线电话)[:：]?\s*(?P<v>[\d－\-]{5,20})$", V), lambda m: {"hotline": m.group("v")}),
    ("email", regex.compile(r"^(?:E-?mail|电子邮箱|邮箱)[:：]?\s*(?P<v>[\w.+-]+@[\w.-]+)$", V | regex.IGNORECASE),
     lambda m: {"email": m.group("v")}),
    ("wechat", regex.compile(r"^(?:官方)?微信(?:公众号)?[:：]\s*(?P<v>[\w-]{3,40})$", V), lambda m: {"wechat": m.group("v")}),
    ("weibo", regex.compile(r"^(?:\p{Han}{0,4})?微博[:：]\s*(?P<v>\S{3,80})$", V), lambda m: {"weibo": m.group("v")}),
    ("website", regex.compile(r"^<?(?P<v>(?:https?://|www\.)[^\s<>]{3,80})>?$", V), lambda m: {"website": m.group("v")}),
    ("english_name", regex.compile(r"^(?P<v>[A-Z]{2,}(?:\s+[A-Z]{2,}){1,5})$", V), lambda m: {"english_name": m.group("v")}),
)
WIDTH_FOLDED = frozenset({"founded", "date", "cn", "pages", "issue_number"})
_NEEDS: Dict[str, Callable[[str], bool]] = {
    "founded": lambda t: "创刊" in t,
    "date": lambda t: "年" in t,
    "weekday": lambda t: t.startswith(("星期", "周")),
    "cn": lambda t: "CN" in t,
    "pages": lambda t: t.startswith("今日"),
    "issue_number": lambda t: "第" in t,
    "supervisor": lambda t: "主管" in t,
    "sponsor": lambda t: "主办" in t,
    "publisher": lambda t: "出版" in t,
    "hotline": lambda t: "热线" in t or "电话" in t,
    "email": lambda t: "@" in t,
    "wechat": lambda t: "微信" in t,
    "weibo": lambda t: "微博" in t,
    "website": lambda t: "http" in t or "www." in t,
}
FIELD_NEEDS: Dict["regex.Pattern[str]", Callable[[str], bool]] = {pattern: _NEEDS[name] for name, pattern, _ in FIELDS if name in _NEEDS}
"""What a field's pattern cannot match without, as a plain string test run first: most tokens of a
page head are no field at all, and a test costs far less than a search.  Keyed by the pattern
(a plugin's own field of the same name is searched as it is)."""
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ENGLISH_NAME = regex.compile(r"^(?P<v>[A-Z]{2,}(?:\s[A-Z]{2,}){1,5})$", V)
_EMAIL_ANYWHERE = regex.compile(r"^(?P<v>[\w.+-]+@[\w-]+\.[\w.-]+)$", V)
_GENERIC_NAME = regex.compile(r"^\p{Han}{2,8}(?:日报|晚报|早报|都市报|商报)$", V)


@attrs.frozen
class MastheadParser:
    """The generic masthead reader, configured with what a paper plugin knows."""

    paper: Optional[Paper] = None
    badges: Tuple[str, ...] = ()  # badge texts the paper prints at the top of its pages
    extra_fields: Tuple[Tuple[str, "regex.Pattern[str]", FieldParser], ...] = ()

    def parse(self, page: PageView) -> Optional[MastheadResult]:
        head = self._head(page.blocks)
        lines: List[MastheadLine] = []
        facts: Dict[str, Any] = {}
        repairs: List[Repair] = []
        found: List[Tuple[int, MastheadLine]] = []
        # an advert's issuer line (某某办公室 宣) belongs to the advert, even when part of
        # it reads like a fact (某某主办 宣): a block is claimed once, as one or the other
        issuers = {b.index for b in head if P.ADVERT_ISSUER.search(b.text.text, timeout=PATTERN_TIMEOUT)}
        for block in head:
            if block.index in issuers:
                continue
            text, fixed = collapse_letter_spacing_in(block.text)
            got = self._facts(text.text)
            if got:
                line = MastheadLine(text=text, fields=tuple(sorted(got)))
                found.append((block.index, line))
                repairs.extend(fixed)
                for key, value in got.items():
                    facts.setdefault(key, value)
        dropped, claimed = self._furniture(head, {i for i, _ in found})
        if not _is_masthead(facts):
            if not dropped:
                return None
            return MastheadResult(masthead=None, claimed=tuple(sorted(claimed)), dropped=tuple(dropped))
        last = max(i for i, _ in found)
        extra: List[str] = []
        for block in head:
            if block.index > last:
                break
            if block.index in claimed or block.index in {i for i, _ in found}:
                continue
            found.append((block.index, MastheadLine(text=block.text, fields=("extra",))))
            extra.append(block.text.text)
        found.sort(key=lambda pair: pair[0])
        lines = [line for _, line in found]
        _finish_facts(facts, self.paper, extra)
        claimed |= {i for i, _ in found}
        masthead = Masthead(facts=facts, lines=tuple(lines))
        return MastheadResult(
            masthead=masthead,
            claimed=tuple(sorted(claimed)),
            dropped=tuple(dropped),
            repairs=tuple(repairs),
            notices=_weekday_check(facts, lines),
        )

    # -- pieces -------------------------------------------------------------------------
    def _head(self, blocks: Sequence[Block]) -> List[Block]:
        head: List[Block] = []
        for block in blocks[:HEAD_LINES]:
            if visible_length(block.text.text) > BODY_LINE and not self._facts(block.text.text):
                break
            head.append(block)
        return head

    def _facts(self, line: str) -> Dict[str, Any]:
        got: Dict[str, Any] = {}
        name = self._name(line)
        if name:
            got["name"] = name
            return got
        m = _ENGLISH_NAME.match(line.strip())
        if m:
            return {"english_name": m.group("v")}
        for token in _tokens(line):
            folded = fold_width(token)
            for field, pattern, parse in self.extra_fields + FIELDS:
                subject = folded if field in WIDTH_FOLDED else token
                need = FIELD_NEEDS.get(pattern)
                m = pattern.search(subject, timeout=PATTERN_TIMEOUT) if need is None or need(subject) else None
                if m:
                    for key, value in parse(m).items():
                        got.setdefault(key, value)
                    break
            else:
                m = _EMAIL_ANYWHERE.match(token)
                if m:
                    got.setdefault("email", m.group("v"))
        return got

    def _name(self, line: str) -> Optional[str]:
        compact = "".join(line.split())
        if self.paper is not None:
            forms = (self.paper.name,) + self.paper.aliases
            if compact in forms:
                return self.paper.name
        if _GENERIC_NAME.match(compact) and compact == line:
            return compact
        return None

    def _furniture(self, head: Sequence[Block], facts_at: set) -> Tuple[List[Dropped], set]:
        """Adverts and badges in the head of the page."""
        dropped: List[Dropped] = []
        claimed: set = set()
        for pos, block in enumerate(head):
            text = block.text.text
            if P.ADVERT_ISSUER.search(text, timeout=PATTERN_TIMEOUT):
                # the slogan lines just above the issuer belong to the advert
                k = pos - 1
                slogan: List[Block] = []
                while k >= 0 and head[k].index not in facts_at and head[k].index not in claimed and visible_length(head[k].text.text) <= 30:
                    slogan.insert(0, head[k])
                    k -= 1
                    if head[k + 1].gap_before > 0 and slogan:
                        break
                for b in slogan + [block]:
                    dropped.append(Dropped(reason="advert", text=b.text))
                    claimed.add(b.index)
        badge_group = self._badge_group(head, facts_at)
        for block in badge_group:
            if block.index not in claimed:
                dropped.append(Dropped(reason="badge", text=block.text))
                claimed.add(block.index)
        dropped.sort(key=lambda d: d.text.span)
        return dropped, claimed

    def _badge_group(self, head: Sequence[Block], facts_at: set) -> List[Block]:
        """The run of award lines at the top of the page.

        A line belongs to the run when it names an award (or is a badge the paper
        registered), or when it is a short line directly above such a line (an award
        printed over two lines: 中国报刊广告改革创新 / 卓越贡献媒体).
        """
        known = {"".join(x.split()) for x in self.badges}
        lines = [b for b in head if b.index not in facts_at]

        def is_badge(block: Block) -> bool:
            text = block.text.text
            return visible_length(text) <= 20 and (
                "".join(text.split()) in known or bool(P.BADGE.search(text, timeout=PATTERN_TIMEOUT))
            )

        group: List[Block] = []
        for i, block in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if is_badge(block) or (nxt is not None and is_badge(nxt) and visible_length(block.text.text) <= 15):
                group.append(block)
            else:
                break
        return group


def _tokens(line: str) -> List[str]:
    """Whitespace-separated tokens, but a ``label: value`` pair or ``name <url>`` stays whole."""
    parts = line.split()
    out: List[str] = []
    for part in parts:
        if out and (out[-1].endswith((":", "：")) or part.startswith("<")):
            if part.startswith("<"):
                out.append(part)
                continue
            out[-1] += part
        else:
            out.append(part)
    return out


def _is_masthead(facts: Mapping[str, Any]) -> bool:
    strong = {"name", "english_name", "cn", "pages", "issue_number", "total_issue"}
    return len(facts) >= 2 and bool(strong & set(facts))


def _finish_facts(facts: Dict[str, Any], paper: Optional[Paper], extra: List[str]) -> None:
    year, day = facts.pop("lunar_year", None), facts.pop("lunar_day", None)
    if year or day:
        facts["lunar"] = (year or "") + (day or "")
    if "issue_number" not in facts and "total_issue" in facts:
        facts["issue_number"] = facts["total_issue"]
    if paper is not None:
        # a masthead printed as an image still names its paper; the registry's English
        # name, though, is only a fact when the page prints it
        facts.setdefault("name", paper.name)
    if extra:
        facts["extra"] = list(extra)


def _weekday_check(facts: Mapping[str, Any], lines: Sequence[MastheadLine]) -> Tuple[Notice, ...]:
    """A warning when the printed weekday is not the weekday of the printed date."""
    date, weekday = facts.get("date"), facts.get("weekday")
    if not date or not weekday or weekday[-1] not in WEEKDAYS:
        return ()
    actual = _dt.date.fromisoformat(date).weekday()
    if WEEKDAYS[weekday[-1]] == actual:
        return ()
    names = "一二三四五六日"
    span = next((line.text.span for line in lines if "weekday" in line.fields), None)
    message = f"the masthead prints {weekday}, but {date} is a 星期{names[actual]}: check the date and the weekday"
    return (Notice("warning", "weekday_mismatch", message, span),)


def generic_masthead(page: PageView) -> Optional[MastheadResult]:
    return MastheadParser(paper=page.paper).parse(page)
