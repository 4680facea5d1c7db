"""The certificate of a recorded screening run (`report screening RUN_ID`) as Markdown or one self-contained HTML
file, from its JSON document (`services.screening_runs.certificate`): the run, its axes, the matcher, the ledger's
head and whether it still holds, each row with its decision, matches, statuses and citations, and the signature.
The ledger is named by its size and head digest, never by where it is stored; times read to the second in UTC and
sources as a legal memo cites them (`citations.bluebook`)."""

from __future__ import annotations

from html import escape
from typing import Any

from regledger.adapters.render.citations import bluebook, cite_order
from regledger.adapters.render.documents.masthead import Masthead, masthead
from regledger.adapters.render.reports.filters import moment

__all__ = ["certificate_html", "certificate_markdown", "certificate_masthead"]


def _facts(document: dict[str, Any]) -> list[tuple[str, str]]:
    run = document["run"]
    chain = document["chain"]
    libraries = ", ".join(f"{name} {version}" for name, version in sorted(run["matcher"]["libraries"].items()))
    facts = [
        ("Run", document["run_id"]),
        ("Recorded at", moment(document["recorded_at"])),
        ("Date for rows without one", f"{run['on']}{' (today, UTC, by default)' if run['on_default'] else ''}"),
        ("Published by", run["published_by"] or "open (everything published)"),
        ("Known at", run["known_at"] or "open (everything recorded by the run)"),
        ("Minimum reliability", run["min_reliability"] or "every tier"),
        ("Lists", ", ".join(run["lists"]) or "every list"),
        ("Thresholds", f"match at or above {run['threshold']}, possible at or above {run['review_threshold']}"),
        ("Matcher", f"version {run['matcher']['version']} ({libraries})"),
        ("Ledger", f"{run['ledger']['size']} events, head {run['ledger']['head'] or '(no chain)'}"),
        ("Chain today", _chain(chain)),
    ]
    signature = document.get("signature")
    facts.append(("Signature", f"ed25519 by key {signature['key_fingerprint']}: {signature['value']}" if signature
                  else "not signed (give --key to sign)"))
    return facts


def _chain(chain: dict[str, Any]) -> str:
    if chain["head_holds"] is None:
        return "this store keeps no hash chain"
    head = "holds the run's head" if chain["head_holds"] else "does NOT hold the run's head: run `regledger verify`"
    run = "and the run itself" if chain["run_chained"] else "but NOT the run itself"
    return f"the ledger's chain {head}, {run}"


def _statuses(match: dict[str, Any]) -> list[str]:
    found = []
    for status in match["lists"]:
        cited = "; ".join(bluebook(c) for c in cite_order(status["citations"]))  # official sources first
        found.append(f"{status['list']}: {status['status']}, listed on {status['listed_on'] or '-'}, public by the "
                     f"date: {'yes' if status['public_by_date'] else 'no'}{f' [{cited}]' if cited else ''}")
    return found


def _md(text: Any) -> str:
    """Text for a Markdown line or table cell: pipes escaped, no line breaks, no raw HTML."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", " ").replace("\n", " "))


def certificate_markdown(document: dict[str, Any]) -> str:
    """The certificate as Markdown."""
    lines = ["# Screening certificate", "", "| | |", "|---|---|"]
    lines += [f"| {_md(name)} | {_md(value)} |" for name, value in _facts(document)]
    for row in document["run"]["results"]:
        ident = f" (id {_md(row['id'])})" if row["id"] else ""
        lines += ["", f"## Row {row['row']}{ident}: {_md(row['name'])}", "",
                  f"Date {row['date']}; decision **{row['decision']}**.", ""]
        if not row["matches"]:
            lines.append("No name or alias scored at or above the review threshold.")
        for match in row["matches"]:
            lines.append(f"- {_md(match['party'])} ({_md(match['party_name'] or '-')}): score {match['score']}, "
                         f"matched {match['matched_kind']} \u201c{_md(match['matched_name'])}\u201d. "
                         f"{_md(match['explanation']['summary'])}")
            lines += [f"  - {_md(status)}" for status in _statuses(match)]
    return "\n".join(lines) + "\n"


def certificate_html(document: dict[str, Any]) -> str:
    """The certificate as one self-contained HTML file."""
    facts = "".join(f"<tr><th>{escape(name)}</th><td>{escape(value)}</td></tr>" for name, value in _facts(document))
    rows = []
    for row in document["run"]["results"]:
        ident = f" (id {escape(row['id'])})" if row["id"] else ""
        items = []
        for match in row["matches"]:
            statuses = "".join(f"<li>{escape(status)}</li>" for status in _statuses(match))
            items.append(f"<li>{escape(match['party'])} ({escape(match['party_name'] or '-')}): score "
                         f"{match['score']}, matched {escape(match['matched_kind'])} "
                         f"\u201c{escape(match['matched_name'])}\u201d. {escape(match['explanation']['summary'])}"
                         f"<ul>{statuses}</ul></li>")
        matches = f"<ul>{''.join(items)}</ul>" if items else (
            "<p>No name or alias scored at or above the review threshold.</p>")
        rows.append(f"<section><h2>Row {row['row']}{ident}: {escape(row['name'])}</h2>"
                    f"<p>Date {escape(row['date'])}; decision <strong>{escape(row['decision'])}</strong>.</p>"
                    f"{matches}</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Screening certificate "
            f"{escape(document['run_id'])}</title><style>body{{font-family:sans-serif;max-width:60em;margin:auto}}"
            "th{text-align:left;vertical-align:top;padding-right:1em}</style></head><body>"
            f"<h1>Screening certificate</h1><table>{facts}</table>{''.join(rows)}</body></html>\n")


def certificate_masthead(certificate: dict[str, Any], legend: str | None) -> Masthead:
    """The running header of a certificate document: the run, its axes, the ledger's size and head when it ran."""
    run = certificate["run"]
    axes = {"on": run.get("on"), "published_by": run.get("published_by"), "known_at": run.get("known_at"),
            "min_reliability": run.get("min_reliability")}
    ledger = run.get("ledger") or {}
    return masthead({"title": f"Screening certificate, run {certificate['run_id']}", "axes": axes,
                     "ledger_size": ledger.get("size"), "ledger_head": ledger.get("head"),
                     "produced_at": certificate["recorded_at"]}, legend)
