"""Printing the benchmark's results: one table, the systems side by side, then examples."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Row = tuple[str, list[str], str]  # label, one cell per system, target


def pct(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.2f} %"


def ms(value: Any) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def num(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Row]) -> str:
    width0 = max(len(r[0]) for r in rows)
    widths = [max(len(h), *(len(r[1][i]) for r in rows)) for i, h in enumerate(headers)]
    out = [
        " | ".join(
            ["metric".ljust(width0), *(h.rjust(w) for h, w in zip(headers, widths, strict=True)),
             "target"]
        )
    ]  # fmt: skip
    out.append("-" * len(out[0]))
    for label, cells, target in rows:
        out.append(
            " | ".join(
                [label.ljust(width0), *(c.rjust(w) for c, w in zip(cells, widths, strict=True)),
                 target]
            )
        )  # fmt: skip
    return "\n".join(out)


def side_by_side(results: dict[str, Any]) -> str:
    systems: list[tuple[str, dict[str, Any]]] = [
        (f"Tarian {t['database']}", t) for t in results.get("tarian", [])
    ]
    if results.get("splink"):
        systems.append(("Splink", results["splink"]))
    if not systems:
        return "(no system was run)"
    headers = [name for name, _s in systems]

    def cells(get: Callable[[dict[str, Any]], str]) -> list[str]:
        found = []
        for _name, s in systems:
            try:
                found.append(get(s))
            except (KeyError, TypeError):
                found.append("-")
        return found

    ev: Callable[[dict[str, Any]], dict[str, Any]] = lambda s: s["evaluation"]  # noqa: E731
    rows: list[Row] = [
        ("people in the register", cells(lambda s: num(s["people"])), ""),
        ("threshold for 'match'", cells(lambda s: s["threshold_label"]), ""),
        ("top-1 precision", cells(lambda s: pct(ev(s)["top1_precision"])), ">= 99.5 %"),
        ("top-1 recall", cells(lambda s: pct(ev(s)["top1_recall"])), ">= Splink's"),
        ("top-1 F1", cells(lambda s: pct(ev(s).get("top1_f1"))), ""),
        ("top-1 recall, no NHS number", cells(lambda s: pct(ev(s)["top1_recall_no_nhs"])),
         ">= Splink's"),
        ("top-1 right (any decision)", cells(lambda s: pct(ev(s)["top1_any_decision"])), ""),
        ("top-3 recall", cells(lambda s: pct(ev(s)["top3_recall"])), ">= 98 %"),
        ("top-3 recall, no NHS number", cells(lambda s: pct(ev(s)["top3_recall_no_nhs"])), ""),
        ("known child answered 'possible'", cells(lambda s: pct(ev(s)["known_possible"])), ""),
        ("twins: top-1 recall", cells(lambda s: pct(ev(s)["twins_recall"])), ""),
        ("'not known' answered no_match", cells(lambda s: pct(ev(s)["not_known_no_match"])),
         ">= 99 %"),
        ("'not known' answered possible", cells(lambda s: pct(ev(s)["not_known_possible"])), ""),
        ("'not known' answered match", cells(lambda s: pct(ev(s)["not_known_match"])), ""),
        ("sweep: lowest threshold, precision >= 99.5 %",
         cells(lambda s: num(ev(s)["sweep"]["threshold"], 6)), ""),
        ("sweep: top-1 recall there", cells(lambda s: pct(ev(s)["sweep"]["recall"])), ""),
        ("sweep: recall there, no NHS number",
         cells(lambda s: pct(ev(s)["sweep"]["recall_no_nhs"])), ""),
        ("one query: method", cells(lambda s: s["latency_method"]), ""),
        ("one query: p50", cells(lambda s: ms(s["latency"]["p50_ms"])), ""),
        ("one query: p95", cells(lambda s: ms(s["latency"]["p95_ms"])),
         "<= 10/20 ms PG (100k/1M); <= 50 ms SQLite 100k"),
        ("one query: max", cells(lambda s: ms(s["latency"]["max_ms"])), ""),
        ("one query: timed", cells(lambda s: num(s["latency"]["count"])), ""),
        ("batch: method", cells(lambda s: s["batch_method"]), ""),
        ("batch: seconds", cells(lambda s: num(s["batch"]["seconds"], 1)), "< 600 s at 1M people"),
        ("batch: records per second", cells(lambda s: num(s["batch"]["records_per_second"])), ""),
    ]  # fmt: skip
    return table(headers, rows)


def phases(results: dict[str, Any]) -> str:
    lines = ["Phases (seconds):"]
    lines.append(f"  generate population and queries: {results['generate_seconds']:.1f}")
    for t in results.get("tarian", []):
        parts = ", ".join(f"{k} {v:.1f}" for k, v in t["phases"].items())
        lines.append(f"  Tarian {t['database']}: {parts}")
    if results.get("splink"):
        parts = ", ".join(f"{k} {v:.1f}" for k, v in results["splink"]["phases"].items())
        lines.append(f"  Splink: {parts}")
    return "\n".join(lines)


def breakdown(results: dict[str, Any]) -> str:
    systems = [(f"Tarian {t['database']}", t) for t in results.get("tarian", [])[:1]]
    if results.get("splink"):
        systems.append(("Splink", results["splink"]))
    if not systems:
        return ""
    lines = ["Top-1 recall by corruption (known children; queries):"]
    first = systems[0][1]["evaluation"]
    for group in ("by_corruption_count", "by_corruption_kind"):
        for key, entry in first[group].items():
            label = f"{key} corruption(s)" if group == "by_corruption_count" else key
            values = "  ".join(
                f"{name}: {pct(s['evaluation'][group][key]['recall'])}" for name, s in systems
            )
            lines.append(f"  {label:<22} ({entry['queries']:>4})  {values}")
    lines.append("'Not known' queries answered no_match, by kind:")
    for key, entry in sorted(first["not_known_by_kind"].items()):
        values = "  ".join(
            f"{name}: {s['evaluation']['not_known_by_kind'].get(key, {}).get('no_match', 0)}"
            for name, s in systems
        )
        lines.append(f"  {key:<22} ({entry['queries']:>4})  {values}")
    return "\n".join(lines)


def _example(e: dict[str, Any]) -> str:
    top = ", ".join(f"{ref} {score:.4f}" for ref, score in e["top"]) or "no candidates"
    truth = e["truth"]
    told = (
        f"{truth.get('given_name')} {truth.get('family_name')} {truth.get('date_of_birth')} "
        f"{truth.get('postcode')} nhs={truth.get('nhs_number') or '-'} ({truth.get('ref')}"
        + (f", NOT KNOWN: {truth['not_known']})" if "not_known" in truth else ")")
    )
    return (
        f"  {e['query']} asked {e['asked']}\n"
        f"      truth {told}; corruptions {e['corruptions'] or 'none'}\n"
        f"      answered {e['decision']}: {top}; reasons {e['reasons']}"
    )


def format_examples(found: list[dict[str, Any]]) -> list[str]:
    return [_example(e) for e in found]


def examples(results: dict[str, Any], limit: int = 12) -> str:
    if not results.get("tarian"):
        return ""
    ev = results["tarian"][0]["evaluation"]
    lines = [f"Tarian: wrong 'match' answers ({len(ev['wrong_matches'])}):"]
    lines += format_examples(ev["wrong_matches"][:limit])
    lines.append(f"Tarian: known children not matched first ({ev['missed']}), some:")
    lines += format_examples(ev["missed_examples"][:limit])
    lines.append("Tarian: 'not known' children not answered no_match, some:")
    lines += format_examples(ev["not_known_wrong_examples"][:limit])
    return "\n".join(lines)
