"""What the page's layout says: is it laid out by indentation?

Computed once per page (the classifier asks for every block, the gap scorer once),
from the blocks of the flow.
"""

from __future__ import annotations

import weakref
from typing import Optional, Sequence, Tuple

from corepress.rules.text import ends_sentence, visible_length
from corepress.values.hooktypes import PageView
from corepress.values.model import Block

INDENT_BODY_MIN = 8
"""Visible characters from which a block that ends a sentence is surely a body paragraph."""
INDENT_SHARE = 0.9
"""Share of those body paragraphs that must be indented for a page to count as laid out by indentation."""


def indented_layout(blocks: Sequence[Block]) -> bool:
    """Is the page consistently indented, so that indentation tells body from headlines?

    E-paper text and many converters indent every body paragraph (两个全角空格) and
    never a headline.  When at least :data:`INDENT_SHARE` of the paragraphs that
    end a sentence are indented, the layout is trusted as strong evidence; on a page
    without indentation (a blank-line PDF dump), or one that indents only some
    paragraphs, it says nothing.
    """
    body = [b for b in blocks if visible_length(b.text.text) >= INDENT_BODY_MIN and ends_sentence(b.text.text)]
    return len(body) >= 3 and sum(b.indent for b in body) >= INDENT_SHARE * len(body)


_LAST: Tuple[Optional["weakref.ref[PageView]"], bool] = (None, False)
"""The last page view asked about and its answer: the classifier asks once per block, so a
weak reference compared by identity answers at once (a weak-keyed dictionary costs more than
the question); another page, or a page view since collected, is computed afresh."""


def page_is_indented(page: PageView) -> bool:
    """:func:`indented_layout` of the page's flow, computed once per page view."""
    global _LAST
    last, known = _LAST
    if last is not None and last() is page:
        return known
    known = indented_layout(page.blocks)
    _LAST = (weakref.ref(page), known)
    return known
