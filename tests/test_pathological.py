"""Text built to hurt regular expressions: it must parse, and stay accounted for.

No timing is asserted here (benchmarks/bench_parse.py measures scaling); every
pattern search carries a timeout, so a catastrophic pattern would fail these
tests with TimeoutError rather than hang them.
"""

from __future__ import annotations

import pytest

import corepress
from corepress.pipeline.accounting import check

CASES = {
    "identical_characters": "字" * 200_000,
    "one_very_long_line": ("会议强调，要深化改革、扩大开放、促进发展" * 6_000),
    "repeated_punctuation": "，" * 100_000 + "。" * 100_000,
    "unclosed_brackets": "（" * 50_000 + "《" * 50_000 + "“" * 50_000,
    "letter_spaced_forever": " ".join("字" * 60_000),
    # 420 KB: where splitting all the text before each space (quadratic) ran past the pattern time limit
    "digits_and_spaces": " ".join(["2026 年"] * 60_000),
    "lead_formula_prefixes": "本报讯（记者" * 20_000,
    "many_short_lines": "\n".join(["标题"] * 40_000),
    "many_blank_blocks": "\n\n".join(["新华社北京4月1日电"] * 20_000),
    "names_without_end": "记者" + "王明 " * 40_000,
    "comma_column_breaks": "会议强调，\n\n" * 20_000,
    "jump_formula_chain": "正文，" + "（下转第二版）" * 20_000,
    "reporter_note_chain": "（记者 王明 李华）" * 10_000,
    # lines each asking about the paragraph below them (a frame that opens a sentence, a long line
    # with a comma, a lone bracket): the question is asked one level deep, never down the whole page
    "sentence_frame_lines": "2025年以来，全县先后组织\n\n" * 5_000,
    "long_comma_lines": "全市在做好市场供应、物资保障和运输协调工作的同时，要求各区\n\n" * 2_000,
    "lone_bracket_lines": "《\n\n" * 20_000,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pathological_text_parses_and_is_accounted_for(name):
    page = corepress.parse_text(CASES[name], paper="generic")
    assert check(page) == []
    # the rules parsed it themselves: a rule that failed (a RecursionError, say) leaves a notice and the
    # page parsed without its plugin, which would keep the accounting whole and hide the failure
    assert [n.message for n in page.notices if n.code == "plugin_failed"] == []


def test_the_cyclic_collector_is_off_while_a_page_is_parsed_and_as_it_was_after(monkeypatch):
    # a large page makes objects by the hundred thousand, and each full collection walked them all
    # (time per 64 KB grew with the page); the pipeline makes no cycles that matter
    import gc
    import threading

    from corepress.pipeline import pipeline

    seen = []
    real = pipeline.run_stages

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run_stages", recording)
    was = gc.isenabled()
    try:
        gc.enable()
        corepress.parse_text("标题\n\n本报讯 正文。", paper="generic")
        assert seen == [False] and gc.isenabled()
        gc.disable()  # a caller who turned it off keeps it off
        corepress.parse_text("标题\n\n本报讯 正文。", paper="generic")
        assert not gc.isenabled()
        gc.enable()
        # two threads' pages overlapping: the collector comes back when the last one is done
        inside, release = threading.Barrier(3), threading.Event()

        def slow(*args, **kwargs):
            inside.wait()
            release.wait()
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline, "run_stages", slow)
        threads = [threading.Thread(target=corepress.parse_text, args=("标题\n\n正文。",), kwargs={"paper": "generic"}) for _ in range(2)]
        for thread in threads:
            thread.start()
        inside.wait()  # both pages are being parsed
        assert not gc.isenabled()
        monkeypatch.setattr(pipeline, "run_stages", real)
        release.set()
        for thread in threads:
            thread.join()
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
