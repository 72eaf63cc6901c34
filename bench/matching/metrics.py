"""Scoring answers against the truth (the same way for Tarian and Splink).

- top-1 precision: of the queries answered "match", the share whose first candidate is the
  child asked about (a "match" for a child who is not known is always wrong);
- top-1 recall: of the queries about a known child, the share answered "match" with that child
  first; also on the queries without an NHS number;
- top-3 recall: the child among the first three candidates, whatever the decision;
- "not known" answered correctly: the share of queries about children who are not known
  answered ``no_match`` (and how many ``possible``, how many ``match``);
- a threshold sweep over each query's best score: the lowest threshold at which top-1
  precision is at least 99.5 %, and the recall there.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.matching.data import KINDS, Query

TARGET_PRECISION = 0.995


@dataclass
class Answer:
    decision: str  # "match", "possible", "no_match" (or "error")
    ranked: list[tuple[str, float]] = field(default_factory=list)  # (ref, score), best first
    reasons: list[str] = field(default_factory=list)  # the first candidate's

    @property
    def top(self) -> str:
        return self.ranked[0][0] if self.ranked else ""

    @property
    def top_score(self) -> float:
        return self.ranked[0][1] if self.ranked else 0.0


def decided(answers: dict[str, Answer], threshold: float) -> dict[str, Answer]:
    """Answers with the decision taken from the best score: "match" at or above ``threshold``."""
    return {
        qid: Answer(
            decision="match" if a.ranked and a.top_score >= threshold else "no_match",
            ranked=a.ranked,
            reasons=a.reasons,
        )
        for qid, a in answers.items()
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def f1(precision: float | None, recall_: float | None) -> float | None:
    """The harmonic mean of top-1 precision and recall (the front door issue asks for it)."""
    if precision is None or recall_ is None or precision + recall_ == 0:
        return None
    return 2 * precision * recall_ / (precision + recall_)


def recall(queries: Iterable[Query], answers: dict[str, Answer]) -> tuple[float | None, int]:
    known = [q for q in queries if q.known]
    hits = sum(
        1 for q in known if answers[q.id].decision == "match" and answers[q.id].top == q.truth
    )
    return _share(hits, len(known)), len(known)


@dataclass
class Sweep:
    threshold: float | None  # None: precision never reaches the target
    precision: float | None
    recall: float | None
    recall_no_nhs: float | None
    not_known_below: float | None  # share of "not known" queries whose best score is below


def sweep(
    queries: Sequence[Query], answers: dict[str, Answer], target: float = TARGET_PRECISION
) -> Sweep:
    """The lowest threshold on the best score with top-1 precision >= ``target``."""
    scored = sorted(
        ((answers[q.id].top_score, answers[q.id].top == q.truth and q.known) for q in queries
         if answers[q.id].ranked),
        key=lambda item: -item[0],
    )  # fmt: skip
    known = sum(1 for q in queries if q.known)
    best: tuple[float, float, float] | None = None  # threshold, precision, recall
    correct = taken = 0
    for position, (score, right) in enumerate(scored):
        taken += 1
        correct += int(right)
        if position + 1 < len(scored) and math.isclose(scored[position + 1][0], score):
            continue  # a threshold cannot split equal scores
        precision = correct / taken
        if precision >= target and (best is None or correct / max(known, 1) > best[2]):
            best = (score, precision, correct / max(known, 1))
    if best is None:
        return Sweep(None, None, None, None, None)
    at = decided(answers, best[0])
    no_nhs = [q for q in queries if not q.nhs_number]
    not_known = [q for q in queries if not q.known]
    return Sweep(
        threshold=best[0],
        precision=best[1],
        recall=best[2],
        recall_no_nhs=recall(no_nhs, at)[0],
        not_known_below=_share(sum(1 for q in not_known if at[q.id].decision != "match"),
                               len(not_known)),
    )  # fmt: skip


def _example(q: Query, a: Answer) -> dict[str, Any]:
    return {
        "query": q.id,
        "asked": q.params(),
        "truth": q.true_values if q.known else {"not_known": q.not_known_kind, **q.true_values},
        "corruptions": list(q.corruptions),
        "decision": a.decision,
        "top": a.ranked[:3],
        "reasons": a.reasons,
    }


def evaluate(queries: Sequence[Query], answers: dict[str, Answer]) -> dict[str, Any]:
    known = [q for q in queries if q.known]
    not_known = [q for q in queries if not q.known]
    no_nhs = [q for q in queries if not q.nhs_number]
    matched = [q for q in queries if answers[q.id].decision == "match"]
    right = [q for q in matched if q.known and answers[q.id].top == q.truth]

    def top_k(subset: Sequence[Query], k: int) -> float | None:
        hits = sum(1 for q in subset if q.truth in [r for r, _s in answers[q.id].ranked[:k]])
        return _share(hits, len(subset))

    by_count: dict[str, Any] = {}
    for count in sorted({len(q.corruptions) for q in known}):
        subset = [q for q in known if len(q.corruptions) == count]
        by_count[str(count)] = {"queries": len(subset), "recall": recall(subset, answers)[0]}
    by_kind: dict[str, Any] = {}
    for kind in KINDS:
        subset = [q for q in known if kind in q.corruptions]
        by_kind[kind] = {"queries": len(subset), "recall": recall(subset, answers)[0]}
    twins = [q for q in known if q.twin]
    not_known_kinds: dict[str, Any] = defaultdict(lambda: {"queries": 0, "no_match": 0})
    for q in not_known:
        entry = not_known_kinds[q.not_known_kind]
        entry["queries"] += 1
        entry["no_match"] += int(answers[q.id].decision == "no_match")
    s = sweep(queries, answers)
    wrong_matches = [q for q in matched if q not in right]
    missed = [q for q in known if not (answers[q.id].decision == "match"
                                      and answers[q.id].top == q.truth)]  # fmt: skip
    nk_wrong = [q for q in not_known if answers[q.id].decision != "no_match"]
    return {
        "queries": len(queries),
        "known": len(known),
        "not_known": len(not_known),
        "matches": len(matched),
        "top1_precision": _share(len(right), len(matched)),
        "top1_recall": recall(known, answers)[0],
        "top1_recall_no_nhs": recall(no_nhs, answers)[0],
        "top1_f1": f1(_share(len(right), len(matched)), recall(known, answers)[0]),
        "known_no_nhs": sum(1 for q in no_nhs if q.known),
        "top1_any_decision": top_k(known, 1),
        "top3_recall": top_k(known, 3),
        "top3_recall_no_nhs": top_k([q for q in no_nhs if q.known], 3),
        "not_known_no_match": _share(
            sum(1 for q in not_known if answers[q.id].decision == "no_match"), len(not_known)
        ),
        "not_known_possible": _share(
            sum(1 for q in not_known if answers[q.id].decision == "possible"), len(not_known)
        ),
        "not_known_match": _share(
            sum(1 for q in not_known if answers[q.id].decision == "match"), len(not_known)
        ),
        "known_possible": _share(
            sum(1 for q in known if answers[q.id].decision == "possible"), len(known)
        ),
        "twins_recall": recall(twins, answers)[0],
        "twins": len(twins),
        "by_corruption_count": by_count,
        "by_corruption_kind": by_kind,
        "not_known_by_kind": dict(not_known_kinds),
        "sweep": s.__dict__,
        "wrong_matches": [_example(q, answers[q.id]) for q in wrong_matches],
        "missed_examples": [_example(q, answers[q.id]) for q in missed[:60]],
        "missed": len(missed),
        "not_known_wrong_examples": [_example(q, answers[q.id]) for q in nk_wrong[:40]],
    }


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def latency(values: Sequence[float]) -> dict[str, float | None]:
    ms: Callable[[float | None], float | None] = lambda v: None if v is None else v * 1000  # noqa: E731
    return {
        "count": float(len(values)),
        "p50_ms": ms(percentile(values, 50)),
        "p95_ms": ms(percentile(values, 95)),
        "p99_ms": ms(percentile(values, 99)),
        "max_ms": ms(max(values)) if values else None,
        "mean_ms": ms(sum(values) / len(values)) if values else None,
    }
