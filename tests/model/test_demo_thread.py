"""The demo thread reads as a person reads it: what a new user sees first cannot regress.

`examples/blog_thread.txt` (written for this project) goes through `stance parse` and
`stance label` exactly as `make demo` runs them (CPU, `--quantize auto`: ONNX int8 here). The
gold readings below are toward the headline, the offshore wind farm; where a careful reader could
go either way, both labels are accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.model

DEMO = Path(__file__).resolve().parents[2] / "examples" / "blog_thread.txt"

#: Opening words of each comment -> acceptable stances toward the wind farm.
STANCES: dict[str, set[str]] = {
    "Good. Cheaper power": {"favor"},
    "The jobs are temporary": {"against"},
    "That is not what the lease says": {"favor"},  # defends the project against the reply
    "The scallop grounds feed": {"against"},
    "Watch CNN tonight": {"none", "against"},  # about the coverage; sides with fishermen
    "And Fox will say": {"none", "favor"},  # about the coverage; calls an objection a lie
    "This whole project was decided": {"against"},
    "The hearing lasted nine hours": {"favor", "none"},  # rebuts the plot claim
    "I am a fisherman and I support it": {"favor"},
    "Compensation for how long": {"against"},
    "Has anyone seen the noise study": {"query"},
    "I am against it": {"against"},
}
MEDIA_BIAS = {"Watch CNN tonight": ["cnn"], "And Fox will say": ["fox"]}
CONSPIRACY = {"This whole project was decided"}
#: Stances that must be right (of 12), as issue #15 asks. No model has reached it
#: (stance-minilm@0.1.0 and @0.2.0: 4 of 12, @0.3.0 to @0.3.2: 5, @0.4.0 and @0.4.1: 6), so
#: that test is a strict xfail until a model does; the no-regression floor below is what
#: blocks a release today.
MIN_STANCES = 9
#: What stance-minilm@0.3.0 to @0.3.2 get right (2026-12-06): a model below this cannot ship.
#: 0.4.0 (2026-12-07) reads 6, but one of them ("Good. Cheaper power ...": favor over none by
#: 0.0001) was a coin flip between int8 kernels, so the floor stayed at 5. 0.4.1 (2026-12-07)
#: reads the same 6 with that margin at 0.023 (favor 0.440, none 0.417) and the fisherman's at
#: 0.10, so the floor is 6.
NO_REGRESSION_STANCES = 6
#: Why the bar is missed (measured with 0.2, 2026-12-06; 0.3 reads the demo alike, with the same
#: 5 of 12 under the short target): not only the headline. A long target does dilute
#: the mean-pooled (target, comment) vector ("CNN lies to you every day." scores media bias
#: 0.97 alone, 0.26 under the demo headline), but pooling only the comment's tokens changed
#: little without retraining, and the demo's own comments fail even read alone ("Watch CNN
#: tonight ... They lie by leaving things out." media bias 0.06, the back-room plot conspiracy
#: 0.08) or under the short target "the offshore wind farm" (5 of 12 stances). A CPU
#: continuation with more ARC and comment_claims (2026-12-06, third session) reached 3 of 12.
KNOWN_GAP = ("issue #15's demo bar is not met by the shipped model: it reads these comments' "
             "stances and claims weakly, under the headline and without it (see above)")


@pytest.fixture(scope="module")
def demo_records(default_model_dir: Path) -> list[dict[str, Any]]:
    from stance.infer.config import InferenceConfig
    from stance.infer.labeler import Labeler
    from stance.thread.parse import ParseOptions, parse_paths

    threads = list(parse_paths([DEMO], ParseOptions()))
    config = InferenceConfig(device="cpu", quantize="auto", progress=False)
    return list(Labeler(str(default_model_dir), config).label(threads))


def _find(records: list[dict[str, Any]], opening: str) -> dict[str, Any]:
    found = [r for r in records if r["text"].startswith(opening)]
    assert len(found) == 1, f"the demo thread should parse into one comment starting {opening!r}"
    return found[0]


def test_demo_parses_into_its_twelve_comments(demo_records: list[dict[str, Any]]) -> None:
    assert len(demo_records) == len(STANCES)
    for opening in STANCES:
        _find(demo_records, opening)
    target = demo_records[0]["stance"]["target"]
    assert target.startswith("Port Alder approves"), "the outlet prefix leaves the target"


def _wrong_stances(records: list[dict[str, Any]]) -> dict[str, str]:
    wrong = {}
    for opening, gold in STANCES.items():
        label = _find(records, opening)["stance"]["label"]
        if label not in gold:
            wrong[opening] = label
    return wrong


def test_demo_stances_no_worse_than_the_shipped_model(
        demo_records: list[dict[str, Any]]) -> None:
    wrong = _wrong_stances(demo_records)
    assert len(STANCES) - len(wrong) >= NO_REGRESSION_STANCES, f"wrong stances: {wrong}"


def test_demo_claims_raise_no_false_alarm(demo_records: list[dict[str, Any]]) -> None:
    for record in demo_records:
        plain = not any(record["text"].startswith(o) for o in (*MEDIA_BIAS, *CONSPIRACY))
        if plain:
            assert not record["media_bias"]["label"], record["text"][:40]
            assert not record["conspiracy"]["label"], record["text"][:40]


@pytest.mark.xfail(strict=True, reason=KNOWN_GAP)
def test_demo_stances_read_as_a_person_reads_them(demo_records: list[dict[str, Any]]) -> None:
    wrong = _wrong_stances(demo_records)
    assert len(STANCES) - len(wrong) >= MIN_STANCES, f"wrong stances: {wrong}"


@pytest.mark.xfail(strict=True, reason=KNOWN_GAP)
def test_demo_media_bias_claims_and_outlets(demo_records: list[dict[str, Any]]) -> None:
    for record in demo_records:
        opening = next((o for o in MEDIA_BIAS if record["text"].startswith(o)), None)
        claim = record["media_bias"]
        if opening is None:
            assert not claim["label"], f"no media-bias claim in {record['text'][:40]!r}"
        else:
            assert claim["label"], f"missed the media-bias claim in {opening!r}"
            assert claim["targets"] == MEDIA_BIAS[opening]


@pytest.mark.xfail(strict=True, reason=KNOWN_GAP)
def test_demo_conspiracy_claim(demo_records: list[dict[str, Any]]) -> None:
    for record in demo_records:
        expected = any(record["text"].startswith(o) for o in CONSPIRACY)
        assert record["conspiracy"]["label"] == expected, record["text"][:40]
