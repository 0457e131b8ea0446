from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Article, InputError, Settings
from dedup.calibrate import truth_from_json
from dedup.cli import main
from dedup.pipeline import calibrate

SEED_STORIES = {
    "000_e43f006f387591b2": "putin-erdogan",
    "001_903efb68cadcd327": "putin-erdogan",
    "002_4c7a1f67f76e96f4": "putin-erdogan",
    "004_0182e0fe94a047d4": "putin-erdogan",
    "003_2171f8ed50ffc6de": "syria-talks",
}


def test_truth_of_stories_and_of_pairs() -> None:
    stories = truth_from_json({"story": {"a": "s", "b": "s", "c": "t"}})
    assert (stories.label("a", "b"), stories.label("a", "c"), stories.label("a", "x")) == (
        True,
        False,
        None,
    )
    assert stories.positives(["a", "b", "c"]) == 1
    pairs = truth_from_json(
        {
            "pairs": [
                {"a": "a", "b": "b", "label": 1},
                {"a": "c", "b": "a", "label": 0},
                {"a": "d", "b": "e", "overall": 3.5},
                {"a": "f", "b": "g", "overall": 1.0},
            ]
        }
    )
    assert (pairs.label("b", "a"), pairs.label("a", "c"), pairs.label("e", "d")) == (
        True,
        False,
        False,
    )
    assert pairs.label("f", "g") is None  # same event is not the same as a copy


@pytest.mark.parametrize(
    "data",
    [{"stories": {}}, {"pairs": [{"a": "x"}]}, {"pairs": [{"a": "x", "b": "y"}]}, []],
    ids=["no-known-key", "pair-without-b", "pair-without-label", "a-list"],
)
def test_truth_of_another_shape_is_refused(data: object) -> None:
    with pytest.raises(InputError, match="truth file"):
        truth_from_json(data)


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ({"label": "no"}, "'label' must be 0 or 1 (or false or true), got \"no\""),
        ({"label": None}, "'label' must be 0 or 1 (or false or true), got null"),
        ({"label": 2}, "'label' must be 0 or 1 (or false or true), got 2"),
        ({"overall": "x"}, "'overall' must be a number (1 to 4), got \"x\""),
        ({"overall": True}, "'overall' must be a number (1 to 4), got true"),
    ],
)
def test_a_bad_label_is_refused_naming_the_pair(pair: dict[str, object], message: str) -> None:
    good = {"a": "x", "b": "y", "label": 1}
    with pytest.raises(InputError) as caught:
        truth_from_json({"pairs": [good, {"a": "x", "b": "z", **pair}]})
    assert str(caught.value) == f"pair 2 of the truth file: {message}"


def test_calibration_on_the_seeds(seed_articles: list[Article]) -> None:
    result = calibrate(seed_articles, truth_from_json({"story": SEED_STORIES}), Settings())
    assert (result.documents, result.positives) == (5, 6)
    assert (result.current.true_positives, result.current.false_positives) == (6, 0)
    assert result.current.recall == 1.0 and result.current.f1 == 1.0
    recommended = result.recommended
    assert recommended.recall == 1.0 and recommended.precision == 1.0
    # The strictest of the thresholds that keep all six pairs: each shares 50 3-grams
    # or more, and the weakest (001 keeps 16 % of its 3-grams from 000 and from 002)
    # has half of 0.30.
    thresholds = recommended.thresholds
    assert (thresholds["min_containment"], thresholds["many_shared_shingles"]) == (0.30, 50)

    def kept_at(containment: float) -> int:
        return max(
            row.true_positives
            for row in result.rows
            if row.thresholds["min_containment"] == containment
            and row.thresholds["many_shared_shingles"] == 1000  # no seed pair shares 1,000
        )

    # Without the second rule, the 0.20 containment step loses two of them (001 keeps
    # 16 % of its 3-grams from 000 and from 002).
    assert (kept_at(0.15), kept_at(0.20)) == (6, 4)


def test_only_negatives_labelled_gives_no_recall(seed_articles: list[Article]) -> None:
    truth = truth_from_json(
        {"pairs": [{"a": "000_e43f006f387591b2", "b": "003_2171f8ed50ffc6de", "overall": 4}]}
    )
    result = calibrate(seed_articles, truth, Settings())
    assert result.positives == 0 and result.current.recall is None
    assert result.current.false_positives == 0 and result.current.precision == 1.0


def _truth_file(tmp_path: Path, data: object) -> str:
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_calibrate_command_json(seeds_dir: Path, tmp_path: Path) -> None:
    truth = _truth_file(tmp_path, {"story": SEED_STORIES})
    result = CliRunner().invoke(
        main, ["calibrate", str(seeds_dir), "--truth", truth, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "dedup.calibrate/1" and data["positive_pairs"] == 6
    assert data["current"]["settings"] == {
        "min_containment": 0.1,
        "min_jaccard": 0.01,
        "min_shared_shingles": 8.0,
        "many_shared_shingles": 20.0,
    }
    assert data["recommended"]["settings"]["min_containment"] == 0.3
    assert len(data["rows"]) == 10 * 5 * 7 * 6


def test_calibrate_command_text_recommends_a_config(seeds_dir: Path, tmp_path: Path) -> None:
    truth = _truth_file(tmp_path, {"story": SEED_STORIES})
    result = CliRunner().invoke(main, ["calibrate", str(seeds_dir), "--truth", truth])
    assert result.exit_code == 0, result.output
    assert "in dedup.toml or [tool.dedup]:\nmin_containment = 0.3\n" in result.stdout
    assert "\nmany_shared_shingles = 50\n" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not a JSON file"), ('{"labels": []}', "the truth file must hold")],
)
def test_calibrate_command_bad_truth_exits_2(
    seeds_dir: Path, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "truth.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["calibrate", str(seeds_dir), "--truth", str(path)])
    assert result.exit_code == 2 and message in result.stderr
