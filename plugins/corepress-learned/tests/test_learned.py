"""corepress-learned: training from snippet gold, scoring through the second stage, and bad models.

The pages are built here from short articles written for these tests (no text of any
real paper): each page lays some of them out as a PDF dump does, one blank-line block
per line, with its snippet gold beside it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import List, Tuple

import corepress_learned
import pytest
from click.testing import CliRunner
from corepress_learned.features import FEATURE_VERSION, MAX_TEXT_FEATURE
from corepress_learned.model import FORMAT, ModelError, read_model, shipped_model_path
from corepress_learned.placement import PageShape, article_features, context_features

import corepress
from corepress.api import GapLabel
from corepress.cli import main

ARTICLES: List[Tuple[List[str], List[str]]] = [
    (["河湾村建起共享菜园"], ["本报讯 记者陈青报道 入春以来，河湾村把闲置空地改成共享菜园，村民认领地块种菜。", "村委会统一修了灌溉水渠，菜园里每周都有人来交流种植经验。"]),
    (["老街夜市重新开张"], ["本报讯 记者周亮报道 经过两个月整修，老街夜市昨晚重新开张，摊位比过去多了一倍。", "管理方划定了消防通道，还在街口设了垃圾分类点。"]),
    (["全县中小学开展防溺水教育", "暑期安全课进课堂"], ["本报讯 记者吴敏报道 暑假临近，全县中小学陆续开展防溺水主题教育。", "各校邀请救援队员讲解自救方法，家长也收到了安全提醒。"]),
    (["图书馆延长开放时间"], ["本报讯 记者郑华报道 从本月起，市图书馆每天开放到晚上九点，方便上班族借阅。", "馆内自习区新增了两百个座位。"]),
    (["山区公路完成改造"], ["本报讯 记者孙岩报道 连接三个乡镇的山区公路日前完成改造，行车时间缩短一半。", "沿线还装上了护栏和夜间反光标识，过往车辆通行更安全。"]),
    (["社区食堂受老人欢迎"], ["本报讯 记者刘洋报道 城东社区食堂开业一个月，每天为两百多位老人供应午餐。", "食堂按月公布菜谱，老人们可以提前预订。"]),
]


def _page(picks: List[int]) -> Tuple[str, dict]:
    lines, gold = [], {"articles": [], "joins": []}
    for n in picks:
        head, body = ARTICLES[n]
        lines += head + body
        first = body[0].split(" ", 2)[-1]
        gold["articles"].append({"title": head[-1], "title_alternatives": head + [" ".join(head)], "body_start": first[:12], "body_end": [body[-1][-12:]]})
    return "\n\n".join(lines) + "\n", gold


def _pages(folder: Path, count: int, seed: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for k in range(count):
        text, gold = _page(rng.sample(range(len(ARTICLES)), 3))
        gold["seed"] = f"page{k:02d}.txt"
        (folder / f"page{k:02d}.txt").write_text(text, encoding="utf-8")
        (folder / f"page{k:02d}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _fresh_model(monkeypatch):
    monkeypatch.delenv(corepress_learned.MODEL_SETTING, raising=False)
    corepress_learned.use_model(None)
    yield
    corepress_learned.use_model(None)


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    folder = _pages(tmp_path_factory.mktemp("gold"), 8)
    model = folder.parent / "mine.model"
    result = CliRunner().invoke(main, ["train", str(folder), "-o", str(model), "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "training on 8 pages" in result.output and "2-fold cross-validation" in result.output
    return model


def _learned_rules(page) -> List[str]:
    return [rule for gap in page.gaps for rule in gap.rules if rule.startswith("learned:")]


def test_train_writes_a_model_with_its_header(trained: Path):
    header = json.loads(trained.read_bytes().partition(b"\n")[0])
    assert header["format"] == FORMAT and header["feature_version"] == FEATURE_VERSION
    assert header["papers"] == [None]  # the pages name no paper a plugin knows
    assert header["trained"]["pages"] == 8 and "cross_validation" in header["trained"]
    assert read_model(trained).info.applies_to(None)


def test_a_users_model_scores_pages_through_the_second_stage(trained: Path, monkeypatch, tmp_path):
    monkeypatch.setenv(corepress_learned.MODEL_SETTING, str(trained))
    text, _ = _page([0, 3, 5])
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    page = corepress.parse(tmp_path / "p.txt")
    assert not [n for n in page.notices if n.code == "plugin_failed"]
    assert [a.title.text for a in page.articles] == ["河湾村建起共享菜园", "图书馆延长开放时间", "社区食堂受老人欢迎"]
    with corepress_learned.Recording() as recording:
        corepress.parse(tmp_path / "p.txt")
    view, roles, evidence = recording.calls[-1]
    scores = corepress_learned.scores_for(view, roles, evidence, read_model(trained))
    assert scores and {s.label for s in scores} == {GapLabel.NEW}  # joins stay with the rules (weight 0)
    assert all(abs(s.logodds) <= corepress_learned.CLIP for s in scores)


def test_recording_abstains(trained: Path, monkeypatch):
    monkeypatch.setenv(corepress_learned.MODEL_SETTING, str(trained))
    text, _ = _page([1, 2])
    with corepress_learned.Recording() as recording:
        page = corepress.parse_text(text)
    assert len(recording.calls) == 1 and not _learned_rules(page)


def test_a_model_speaks_only_for_its_papers(trained: Path, tmp_path, monkeypatch):
    raw = trained.read_bytes()
    head, _, body = raw.partition(b"\n")
    header = json.loads(head)
    header["papers"] = ["some_other_paper"]
    other = tmp_path / "other.model"
    other.write_bytes(json.dumps(header).encode() + b"\n" + body)
    text, _ = _page([0, 1, 2])
    corepress_learned.use_model(read_model(other))
    assert not _learned_rules(corepress.parse_text(text))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "cannot be read"),
        (lambda p: p.write_bytes(b"\x00\x01 not a model"), "is not a corepress-learned model"),
        (lambda p: p.write_bytes(json.dumps({"format": FORMAT, "feature_version": -1, "labels": ["body"], "papers": [None]}).encode() + b"\nxx"), "retrain it"),
        (lambda p: p.write_bytes(json.dumps({"format": FORMAT, "feature_version": FEATURE_VERSION, "labels": ["body"], "papers": [None]}).encode() + b"\nxx"), "corrupt"),
        (lambda p: p.write_bytes(json.dumps({"format": FORMAT, "feature_version": FEATURE_VERSION, "labels": ["body"], "papers": [None],
                                             "stages": [10, 10]}).encode() + b"\nxx"), "cut short"),
    ],
    ids=["missing", "not a model", "other version", "corrupt crf", "stages cut short"],
)
def test_a_bad_model_is_one_line_and_the_page_falls_back_to_the_rules(tmp_path, monkeypatch, make, message):
    path = tmp_path / "bad.model"
    make(path)
    with pytest.raises(ModelError) as error:
        read_model(path)
    assert message in str(error.value) and "\n" not in str(error.value) and str(path) in str(error.value)
    monkeypatch.setenv(corepress_learned.MODEL_SETTING, str(path))
    text, _ = _page([0, 1])
    page = corepress.parse_text(text)
    failed = [n.message for n in page.notices if n.code == "plugin_failed"]
    assert len(failed) == 1 and "learned" in failed[0] and message in failed[0]
    monkeypatch.setenv("COREPRESS_STRICT_PLUGINS", "1")
    from corepress.plugin_system.manager import PluginError, reset_plugins

    reset_plugins()
    try:
        with pytest.raises(PluginError):
            corepress.parse_text(text)
    finally:
        monkeypatch.delenv("COREPRESS_STRICT_PLUGINS")
        reset_plugins()


def test_training_on_a_folder_without_gold_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text("一篇没有标注的稿子\n\n正文一段。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["train", str(tmp_path), "-o", str(tmp_path / "m.model")])
    assert result.exit_code == 2
    assert not (tmp_path / "m.model").exists()
    errors = [line for line in result.output.splitlines() if "error" in line]
    assert errors and all(len(line) < 300 for line in errors)


def test_the_plugin_can_be_disabled(monkeypatch):
    from corepress.plugin_system.manager import get_plugins, reset_plugins

    assert "learned" in get_plugins().info
    monkeypatch.setenv("COREPRESS_DISABLED_PLUGINS", "learned")
    reset_plugins()
    try:
        assert "learned" not in get_plugins().info
    finally:
        monkeypatch.delenv("COREPRESS_DISABLED_PLUGINS")
        reset_plugins()


def test_the_shipped_model_loads_and_carries_no_excerpt():
    model = read_model(shipped_model_path())
    assert model.info.feature_version == FEATURE_VERSION and model.info.applies_to(None)
    assert len(model.stages) == 2  # the first stage, and the second that reads the first one's articles
    attributes = {attr for stage in model.stages for attr, _label in stage.info().state_features}
    assert any(attr.startswith("s2:") for attr in attributes)
    assert attributes
    # the weights the scorer reads name the same features the CRFs hold
    scored = {f"{prefix}:{name}" if prefix else name for prefix, rows in model.weights.rows.items() for name in rows}
    assert scored == attributes
    for attr in attributes:  # the names hold no ideograph of their own: any there is page text
        han = sum(1 for ch in attr if "\u3400" <= ch <= "\u9fff")
        assert han <= MAX_TEXT_FEATURE, attr


def test_a_runaway_page_is_left_to_the_rules(trained: Path, monkeypatch):
    corepress_learned.use_model(read_model(trained))
    text, _ = _page([0, 3, 5])
    assert _learned_rules(corepress.parse_text(text))
    monkeypatch.setattr(corepress_learned, "MAX_BLOCKS", 4)  # the page has more blocks than that
    assert not _learned_rules(corepress.parse_text(text))


def test_test_split_holds_pages_out_and_trains_on_the_rest(tmp_path):
    folder = _pages(tmp_path / "gold", 8, seed=3)
    model = tmp_path / "split.model"
    result = CliRunner().invoke(main, ["train", str(folder), "-o", str(model), "--folds", "0", "--test-split", "0.25"])
    assert result.exit_code == 0, result.output
    assert "training on 6 pages" in result.output and "held out (2 pages)" in result.output
    assert "mean article F1 over 2 pages" in result.output
    header = json.loads(model.read_bytes().partition(b"\n")[0])
    assert header["trained"]["pages"] == 6 and "held_out" in header["trained"]
    both = CliRunner().invoke(main, ["train", str(folder), "-o", str(model), "--test", str(folder), "--test-split", "0.5"])
    assert both.exit_code == 2 and "give one" in both.output


def test_context_features_place_each_block_in_the_rules_article():
    # Two stories: 图书馆延长开放时间 (one headline line, two paragraphs), then 全县中小学开展防溺水教育 with
    # its second headline line 暑期安全课进课堂 (kicker-less stack of two) over two paragraphs.
    text, _ = _page([3, 2])
    with corepress_learned.Recording() as recording:
        corepress.parse_text(text)
    view, roles, evidence = recording.calls[-1]
    texts = ["".join(b.text.text.split()) for b in view.blocks]
    heads = [ARTICLES[3][0][0], *ARTICLES[2][0]]
    assert [texts[0], texts[3], texts[4]] == heads
    assert [d.label for d in evidence].count(GapLabel.NEW) == 1 and evidence[2].label is GapLabel.NEW
    opens = [True] + [d.label is GapLabel.NEW for d in evidence]
    context = [dict(f.split("=", 1) for f in feats) for feats in context_features(PageShape.of(texts, roles), opens)]

    # the first story: nothing above it; everything down to the second story's headline below
    assert context[0]["since"] == "<=0" and context[0]["heads"] == "0"
    assert context[0]["until"] == "<=50"  # its two paragraphs: 36 + 14 characters
    assert context[0]["section"] == "<=50"
    assert context[2]["until"] == "<=0"  # the story's last paragraph: the boundary follows
    # the second story opens anew; its second headline line follows one headline-shaped block
    assert context[3]["since"] == "<=0" and context[3]["heads"] == "0" and "parallel" not in context[3]
    assert context[4]["since"] == "<=50" and context[4]["heads"] == "1"
    assert context[4]["parallel"] == "0"  # 12 against 8 characters: not a parallel section head
    assert context[5]["heads"] == "2" and context[5]["since"] == "<=50"  # 12 + 8 characters of headline above
    assert context[6]["since"] == "<=150" and context[6]["until"] == "<=0"  # 12 + 8 + 31 characters above it
    assert context[4]["section"] == "<=150"  # under the last headline line: 31 + 26 characters of body
    # each article (of that segmentation) holds a lead formula (本报讯 记者…报道), no closing one
    articles = article_features(PageShape.of(texts, roles), opens)
    assert articles[0] == articles[2] == ["lead=1", "close=0", "blocks=<=5"]  # three blocks
    assert articles[3] == articles[6] == ["lead=1", "close=0", "blocks=<=5"]  # four blocks


def test_a_one_stage_model_is_trained_on_request_and_scores_pages(tmp_path, monkeypatch):
    folder = _pages(tmp_path / "gold", 6, seed=5)
    model = tmp_path / "one.model"
    result = CliRunner().invoke(main, ["train", str(folder), "-o", str(model), "--folds", "0", "--stages", "1"])
    assert result.exit_code == 0, result.output
    loaded = read_model(model)
    assert len(loaded.stages) == 1 and loaded.info.trained["stages"] == 1
    corepress_learned.use_model(loaded)
    text, _ = _page([1, 4, 0])
    assert _learned_rules(corepress.parse_text(text))
    two = tmp_path / "two.model"
    assert CliRunner().invoke(main, ["train", str(folder), "-o", str(two), "--folds", "0"]).exit_code == 0
    assert len(read_model(two).stages) == 2


def test_nested_features_read_as_python_crfsuite_reads_them():
    # each block's view is shared by its neighbours under a prefix; python-crfsuite flattens the
    # nesting itself, and flat() must say the same names with the same weights
    import pycrfsuite
    from corepress_learned.features import flat, flow_features, page_shape

    text, _ = _page([0, 2, 4])
    with corepress_learned.Recording() as recording:
        corepress.parse_text(text)
    view, roles, evidence = recording.calls[-1]
    features = flow_features(view, roles, evidence, page_shape(view, roles))
    flattened = [flat(block) for block in features]
    assert pycrfsuite.ItemSequence(features).items() == flattened
    # the block above is read under p:, the one below under n:, each with its edge characters
    from corepress_learned.features import own_view

    shape = page_shape(view, roles)
    own = [own_view(b, r, t) for b, r, t in zip(view.blocks, roles, shape.texts)]
    assert {"p:" + name for name in own[0]} <= set(flattened[1])
    assert {"n:" + name for name in own[2]} <= set(flattened[1])
    last = len(flattened) - 1
    assert {"p:" + name for name in own[last - 1]} <= set(flattened[last]) and not any(name.startswith("n:") for name in flattened[last])


def _views_of(text):
    from corepress_learned.features import page_shape, page_views

    with corepress_learned.Recording() as recording:
        corepress.parse_text(text)
    view, roles, evidence = recording.calls[-1]
    shape = page_shape(view, roles)
    return page_views(view, roles, evidence, shape), shape


@pytest.mark.parametrize("which", ["shipped", "trained here"])
def test_the_scorer_gives_python_crfsuites_own_marginals(which, trained: Path):
    # the scorer sums the weights python-crfsuite learned and runs forward-backward in numpy; the CRF
    # itself, handed the same features, must agree at every block, in both stages
    from corepress_learned.features import stage_two_features
    from corepress_learned.model import OPENS_ARTICLE

    model = read_model(shipped_model_path() if which == "shipped" else trained)
    for picks in ([0, 2, 4], [1, 3, 5, 0], [2]):
        text, _ = _page(picks)
        views, shape = _views_of(text)
        first = model.crf_marginals(views.features(), 0)
        opens = [True] + [sum(p[label] for label in OPENS_ARTICLE) > 0.5 for p in first[1:]]
        assert model.boundaries(views) == opens
        expected = model.crf_marginals(stage_two_features(views.features(), shape, opens), 1)
        got = model.page_marginals(views, shape)
        assert len(got) == len(expected) == len(views)
        for mine, theirs in zip(got, expected):
            assert mine == pytest.approx(theirs, abs=1e-4)  # the weights are read as python-crfsuite prints them: 6 decimals


def test_remembered_sums_of_shared_views_change_no_score(monkeypatch):
    # the scorer remembers what each shared view sums to, across pages; a page scored with the memo
    # warm, with a model loaded afresh (memo empty), and with a memo that forgets all at every page
    # must get the same marginals, to the last bit
    import sys

    import numpy as np

    scorer = sys.modules["corepress_learned.scorer"]
    pages = [_views_of(_page(picks)[0]) for picks in ([0, 2, 4], [1, 3, 5, 0], [2], [5, 4, 3, 2, 1])]

    def marginals(model):
        return [model.page_marginals(views, shape) for views, shape in pages]

    warm = read_model(shipped_model_path())
    marginals(warm)  # every shared view of these pages now known
    assert warm.weights.memo and all(memo.views for memo in warm.weights.memo.values())
    expected = marginals(warm)
    assert marginals(read_model(shipped_model_path())) == expected
    monkeypatch.setattr(scorer, "MEMO_SIZE", 3)
    forgetful = read_model(shipped_model_path())
    assert marginals(forgetful) == expected
    assert all(len(memo.views) <= max(len(views) for views, _ in pages) for memo in forgetful.weights.memo.values())
    assert np.isfinite([p for page in expected for row in page for p in row.values()]).all()


def test_pages_scored_in_threads_get_the_scores_of_pages_scored_one_by_one():
    # threads share the model and its memo of shared views: what each learns must not overwrite
    # what another reads
    from concurrent.futures import ThreadPoolExecutor

    pages = [_views_of(_page(picks)[0]) for picks in ([0, 2, 4], [1, 3, 5, 0], [2], [5, 4, 3, 2, 1], [3, 1], [4, 0, 5])] * 4
    expected = [read_model(shipped_model_path()).page_marginals(views, shape) for views, shape in pages]
    shared = read_model(shipped_model_path())
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda page: shared.page_marginals(*page), pages))
    assert got == expected


def test_the_weights_part_reads_back_and_a_damaged_one_is_one_line(trained: Path, tmp_path):
    import numpy as np

    model = read_model(trained)
    raw = trained.read_bytes()
    header = json.loads(raw.split(b"\n", 1)[0])
    assert header["weights"] > 0 and sum(header["stages"]) + header["weights"] == len(raw.split(b"\n", 1)[1])
    again = type(model.weights).from_bytes(model.weights.to_bytes())
    assert np.array_equal(again.state, model.weights.state) and again.rows == model.weights.rows
    # the weight table cut by a byte, and the file's sizes kept consistent: the table no longer fits its names
    damaged = tmp_path / "damaged.model"
    header["weights"] -= 8
    damaged.write_bytes(json.dumps(header).encode() + b"\n" + raw.split(b"\n", 1)[1][:-8])
    with pytest.raises(ModelError, match="weights part is corrupt"):
        read_model(damaged)


def test_cue_gates_never_skip_a_cue_the_pattern_finds():
    # each cue is searched for only when a character its matches must hold is there: the gates may
    # let a block through for nothing, never keep a cue out
    from corepress_learned.cues import CUES, cue_names

    alphabet = sorted({ch for cue in CUES for ch in "".join(cue.needles) + "".join(cue.first) + "".join(cue.last)})
    alphabet += list("的年月日，。：“”（）、 12３٣𝟘") + ["\U0001D7D9"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        assert cue_names(text) == ["cue=" + cue.name for cue in CUES if cue.pattern.search(text)], text
