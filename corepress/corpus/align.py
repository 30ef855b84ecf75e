"""The same story in several papers: near-duplicate articles clustered, with what differs between them.

Wire stories (新华社, 人民日报) are reprinted by many papers, cut to fit, retitled, and
read by OCR with different errors (钍基 / 硅基 / 社基).  For every article this module
takes the set of its character shingles (:data:`SHINGLE` characters, whitespace
removed), finds candidate pairs with MinHash locality-sensitive hashing
(datasketch), so that the work grows with the number of articles rather than its
square, and keeps a pair when the shorter article's shingles lie mostly inside the
longer's (containment, exact, on the sets): a cut reprint contains little of the
long one but lies inside it.  Pairs make clusters (connected components); in each,
the longest member is the reference, members much shorter and inside it are cuts,
and every member is aligned character by character to the reference
(:class:`difflib.SequenceMatcher`) to list its short variants, with offsets into
both sources.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Dict, Iterable, List, Optional, Sequence, TextIO, Tuple

import attrs

from corepress.values.model import Page
from corepress.values.traced import Traced

SHINGLE = 4
"""Characters per shingle: four ideographs are rarer than a word, common enough to survive OCR noise."""
NUM_PERM = 128
LSH_THRESHOLD = 0.2
"""Jaccard similarity the LSH index is tuned to find: low, because a cut reprint shares few shingles
with the whole story; the exact containment check decides."""
MIN_SHINGLES = 40
"""Articles shorter than this (a caption, a brief) are left out: short texts look alike by chance."""
VARIANT_MAX = 12
"""Longest differing stretch (each side) reported as a variant; longer ones are cuts or rewrites."""
CUT_SHARE = 0.9
"""A member whose text is shorter than this share of the reference's, and lies inside it, is a cut."""


@attrs.frozen
class Member:
    """One article of a cluster, and where it came from."""

    path: Optional[str]
    paper: Optional[str]
    date: Optional[str]
    page: Optional[str]
    article: str
    title: Optional[str]
    traced: Traced = attrs.field(repr=False)  # the article's paragraphs, whitespace removed, with source offsets

    @property
    def text(self) -> str:
        return self.traced.text

    def to_dict(self) -> Dict[str, object]:
        return {"path": self.path, "paper": self.paper, "date": self.date, "page": self.page,
                "article": self.article, "title": self.title, "length": len(self.text)}


@attrs.frozen
class Variant:
    """A short stretch where ``member`` reads differently from the reference (or has nothing)."""

    member: int
    text: str
    reference_text: str
    span: Optional[Tuple[int, int]]  # source offsets in the member's page
    reference_span: Optional[Tuple[int, int]]  # source offsets in the reference's page


@attrs.frozen
class Cluster:
    members: Tuple[Member, ...]
    reference: int  # the longest member
    cuts: Tuple[int, ...]
    containment: Tuple[float, ...]  # per member: share of its shingles inside the reference
    variants: Tuple[Variant, ...]

    def to_dict(self) -> Dict[str, object]:
        return {
            "members": [m.to_dict() for m in self.members],
            "longest": self.reference,
            "cuts": list(self.cuts),
            "containment": [round(c, 3) for c in self.containment],
            "variants": [
                {"member": v.member, "text": v.text, "longest_text": v.reference_text,
                 "span": list(v.span) if v.span else None,
                 "longest_span": list(v.reference_span) if v.reference_span else None}
                for v in self.variants
            ],
        }


def members_of(pages: Iterable[Page]) -> List[Member]:
    """Every article of the pages, as its plain text (paragraphs, whitespace removed) with source offsets."""
    out: List[Member] = []
    for page in pages:
        facts = page.masthead.facts if page.masthead is not None else {}
        identity = page.identity  # inner pages have no masthead: their page head or file name dates them
        date = _str(facts.get("date")) or (identity.date if identity is not None else None)
        number = identity.number if identity is not None else None
        for article in page.articles:
            chars: List[str] = []
            origin: List[int] = []
            for paragraph in article.paragraphs:
                for ch, o in zip(paragraph.text.text, paragraph.text.origin):
                    if not ch.isspace():
                        chars.append(ch)
                        origin.append(o)
            out.append(Member(page.source.path, page.paper.id, date, number,
                              article.id, article.title.text if article.title else None, Traced("".join(chars), tuple(origin))))
    return out


def _str(value: object) -> Optional[str]:
    return None if value is None else str(value)


def shingles(text: str) -> frozenset:
    return frozenset(text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1))


def _containment(a: frozenset, b: frozenset) -> float:
    """Share of the smaller set that lies in the larger."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small) if small else 0.0


def candidate_pairs(sets: Sequence[frozenset], threshold: float = LSH_THRESHOLD) -> Iterable[Tuple[int, int]]:
    """Pairs of indexes whose MinHash signatures collide in the LSH index (each pair once)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures = []
    for i, grams in enumerate(sets):
        signature = MinHash(num_perm=NUM_PERM, seed=1)
        signature.update_batch([g.encode("utf-8") for g in grams])
        signatures.append(signature)
        lsh.insert(str(i), signature)
    seen = set()
    for i, signature in enumerate(signatures):
        for key in lsh.query(signature):
            j = int(key)
            if j != i and (min(i, j), max(i, j)) not in seen:
                seen.add((min(i, j), max(i, j)))
                yield min(i, j), max(i, j)


def align(members: Sequence[Member], containment: float = 0.6) -> List[Cluster]:
    """Clusters of two or more members that tell the same story, largest first."""
    sets = [shingles(m.text) for m in members]
    usable = [i for i, s in enumerate(sets) if len(s) >= MIN_SHINGLES]
    parent = {i: i for i in usable}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in candidate_pairs([sets[i] for i in usable]):
        i, j = usable[a], usable[b]
        if _containment(sets[i], sets[j]) >= containment:
            parent[find(i)] = find(j)
    groups: Dict[int, List[int]] = {}
    for i in usable:
        groups.setdefault(find(i), []).append(i)
    clusters = [_cluster([members[i] for i in sorted(g)], [sets[i] for i in sorted(g)]) for g in groups.values() if len(g) > 1]
    return sorted(clusters, key=lambda c: (-len(c.members), c.members[0].path or "", c.members[0].article))


def _cluster(members: List[Member], sets: List[frozenset]) -> Cluster:
    reference = max(range(len(members)), key=lambda i: (len(members[i].text), -i))
    ref = members[reference]
    inside = tuple(len(s & sets[reference]) / len(s) if s else 0.0 for s in sets)
    cuts = tuple(i for i, m in enumerate(members)
                 if i != reference and len(m.text) < CUT_SHARE * len(ref.text) and inside[i] >= 0.8)
    variants: List[Variant] = []
    for i, member in enumerate(members):
        if i != reference:
            variants.extend(_variants(i, member, ref))
    return Cluster(tuple(members), reference, cuts, inside, tuple(variants))


def _variants(index: int, member: Member, ref: Member) -> List[Variant]:
    out = []
    matcher = SequenceMatcher(None, member.text, ref.text, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal" or (a2 - a1) > VARIANT_MAX or (b2 - b1) > VARIANT_MAX:
            continue  # alike, or a stretch one of them cut or rewrote
        if a1 == 0 or a2 == len(member.text):
            continue  # an edge where a cut begins or ends, not a reading
        out.append(Variant(index, member.text[a1:a2], ref.text[b1:b2],
                           _span(member, a1, a2), _span(ref, b1, b2)))
    return out


def _span(member: Member, start: int, end: int) -> Optional[Tuple[int, int]]:
    """The source span of ``member.text[start:end]`` (``None``: nothing there comes from the page)."""
    piece = member.traced[start:end]
    return piece.span if piece.spans() else None


SCHEMA_ID = "corepress.align/1"


def write_json(clusters: Sequence[Cluster], stream: TextIO) -> None:
    """``{"schema": "corepress.align/1", "clusters": [...]}``, one object."""
    from corepress.text_io.serialize import dumps

    stream.write(dumps({"schema": SCHEMA_ID, "clusters": [c.to_dict() for c in clusters]}, indent=2) + "\n")


def write_markdown(clusters: Sequence[Cluster], stream: TextIO) -> None:
    """A section per cluster: its members (the reference first marked), then the variants."""
    from corepress.text_io.serialize import md_escape

    if not clusters:
        stream.write("No story appears more than once.\n")
    for n, cluster in enumerate(clusters, 1):
        ref = cluster.members[cluster.reference]
        stream.write(f"## {n}. {md_escape(ref.title or '(untitled)', inline=True)}\n\n")
        stream.write("| | source | paper | date | article | title | characters | inside the longest |\n|---|---|---|---|---|---|---|---|\n")
        for i, m in enumerate(cluster.members):
            mark = "longest" if i == cluster.reference else ("cut" if i in cluster.cuts else "")
            cells = [mark, m.path or "", m.paper or "", m.date or "", m.article, m.title or "", str(len(m.text)),
                     f"{cluster.containment[i]:.0%}"]
            stream.write("| " + " | ".join(md_escape(c, inline=True) for c in cells) + " |\n")
        if cluster.variants:
            stream.write("\nVariants (member: its reading / the longest's):\n\n")
            for v in cluster.variants:
                stream.write(f"- {v.member}: {md_escape(v.text or '∅', inline=True)} / {md_escape(v.reference_text or '∅', inline=True)}\n")
        stream.write("\n")
