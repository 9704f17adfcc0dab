"""Build the development corpus (texts, gold files, linking set) from eval/dev/source/*.txt.

The source files hold each text beside its annotation in a compact notation (documented in
eval/dev/README.md). This script writes, from them:

* eval/dev/tune/*.txt and eval/dev/heldout/*.txt (the texts, split about 60/40 by text,
  stratified by style; every report of one linking group goes to the same part),
* eval/dev/tune.gold.yaml and eval/dev/heldout.gold.yaml (format ``detente-gold/1``),
* eval/dev/linking.yaml (groups of event ids that are one happening; near-miss pairs),
* eval/dev/stats.md (counts per type, style, country and part).

It refuses to write when a quoted string does not occur exactly once in its text or a line of
annotation cannot be read. Run: ``/work/main/.venv/bin/python eval/dev/build.py``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
PARTS = ("tune", "heldout")
# The split pattern over the units (single texts, or all reports of one linking group) of each
# style in order: 3 of 5 to tune, 2 of 5 held out.
PATTERN = ("tune", "heldout", "tune", "tune", "heldout")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text)


class SourceError(Exception):
    pass


def parse_codes(spec: str, where: str) -> tuple[list[str], list[str | None]]:
    spec = spec.strip()
    if spec in {"", "-"}:
        return [], []
    codes: list[str] = []
    sectors: list[str | None] = []
    for item in spec.split(","):
        item = item.strip()
        code, _, sector = item.partition(".")
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise SourceError(f"{where}: bad code {item!r}")
        codes.append(code)
        sectors.append(sector or None)
    return codes, sectors


def precision_of(value: str) -> str:
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "bad")


def parse_date(spec: str, where: str) -> dict[str, Any]:
    spec = spec.strip()
    if spec in {"", "-"}:
        return {"date": None, "date_precision": None}
    start, _, end = spec.partition("..")
    out: dict[str, Any] = {"date": start, "date_precision": precision_of(start)}
    if end:
        if precision_of(end) != out["date_precision"]:
            raise SourceError(f"{where}: range ends differ in precision: {spec}")
        out["date_end"] = end
    return out


def parse_event(line: str, where: str, number: int, prefix: str) -> tuple[dict[str, Any], dict[str, str]]:
    fields = [f.strip() for f in line.split("|")]
    if len(fields) < 5:
        raise SourceError(f"{where}: an event needs TYPE | sentence | actor | recipient | date: {line!r}")
    types = fields[0].split("/")
    event: dict[str, Any] = {"id": f"{prefix}-{number}", "sentence": fields[1], "type": types[0]}
    if types[1:]:
        event["alt_types"] = types[1:]
    actor, actor_sec = parse_codes(fields[2], where)
    recip, recip_sec = parse_codes(fields[3], where)
    event["actor"] = actor
    if any(actor_sec):
        event["actor_sector"] = actor_sec
    event["recipient"] = recip
    if any(recip_sec):
        event["recipient_sector"] = recip_sec
    tags: dict[str, str] = {}
    date = parse_date(fields[4], where)
    for extra in fields[5:]:
        if not extra:
            continue
        if extra.startswith("@"):
            place, _, country = extra[1:].rpartition(",")
            if not place or not re.fullmatch(r"[A-Z]{3}", country):
                raise SourceError(f"{where}: bad place {extra!r}")
            event["place"], event["place_country"] = place.strip(), country
        elif extra == "opt":
            event["optional"] = True
        elif extra == "sym":
            event["symmetric"] = True
        elif extra.startswith("med="):
            event["mediator"] = parse_codes(extra[4:], where)[0]
        elif extra.startswith("alt="):
            event["alt_recipient"] = parse_codes(extra[4:], where)[0]
        elif extra.startswith("note="):
            event["note"] = extra[5:]
        elif extra.startswith("g=") or extra.startswith("n="):
            tags[extra[:1]] = extra[2:]
        else:
            raise SourceError(f"{where}: unknown extra {extra!r}")
    if not actor:
        event["optional"] = True
    event.update(date)
    return event, tags


def parse_doc(header: str, body: list[str], notes: list[str], where: str) -> dict[str, Any]:
    head = [h.strip() for h in header[3:].split("|")]
    if len(head) != 5:
        raise SourceError(f"{where}: header is '=== slug | published how | style | countries | topic'")
    slug, pub, style, countries, topic = head
    pub_fields = pub.split()
    published, how = pub_fields[0], pub_fields[1]
    text = "\n".join(body).strip() + "\n"
    doc: dict[str, Any] = {"slug": slug, "style": style, "countries": countries.split(","),
                           "topic": topic, "text": text, "published": published,
                           "published_precision": precision_of(published), "published_how": how,
                           "events": [], "negatives": [], "alias_groups": [], "must_not_merge": [],
                           "mediation": [], "ignore": [], "tags": {}}
    if len(pub_fields) > 2:
        doc["published_note"] = " ".join(pub_fields[2:])
    for line in notes:
        if line.startswith("NEG "):
            f = [x.strip() for x in line[4:].split("|")]
            neg: dict[str, Any] = {"sentence": f[1], "reason": f[0], "types": f[2].split(",")}
            if len(f) > 3 and f[3]:
                neg["actor"] = parse_codes(f[3], where)[0]
            doc["negatives"].append(neg)
        elif line.startswith("ALIAS "):
            f = [x.strip() for x in line[6:].split("|")]
            code, _, sector = f[0].partition(".")
            group: dict[str, Any] = {"code": code}
            if sector:
                group["sector"] = sector
            group["forms"] = f[1:]
            doc["alias_groups"].append(group)
        elif line.startswith("MNM "):
            f = [x.strip() for x in line[4:].lstrip("| ").split("|")]
            doc["must_not_merge"].append(f)
        elif line.startswith("MED "):
            f = [x.strip() for x in line[4:].split("|")]
            med: dict[str, Any] = {"mediator": f[0], "parties": f[1].split(","), "kind": f[2]}
            med.update(parse_date(f[3], where))
            if len(f) > 4 and f[4]:
                med["sentence"] = f[4]
            doc["mediation"].append(med)
        elif line.startswith("IGN "):
            f = [x.strip() for x in line[4:].lstrip("| ").split("|")]
            doc["ignore"].append({"sentence": f[0], "reason": f[1]})
        else:
            doc["events"].append(line)
    return doc


def read_sources() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(SOURCE.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.startswith("=== "):
                if line.strip() and not line.startswith("#"):
                    raise SourceError(f"{path.name}:{i + 1}: text outside a document: {line!r}")
                i += 1
                continue
            header, where = line, f"{path.name}:{i + 1}"
            i += 1
            body: list[str] = []
            while i < len(lines) and lines[i].strip() != "---":
                body.append(lines[i])
                i += 1
            i += 1
            notes: list[str] = []
            while i < len(lines) and not lines[i].startswith("=== "):
                if lines[i].strip() and not lines[i].startswith("#"):
                    notes.append(lines[i].strip())
                i += 1
            docs.append(parse_doc(header, body, notes, where))
    return docs


def finish(docs: list[dict[str, Any]]) -> list[str]:
    """Number the documents, parse their events and check every quote; return the problems."""
    problems: list[str] = []
    slugs = Counter(d["slug"] for d in docs)
    problems += [f"slug {s} used twice" for s, n in slugs.items() if n > 1]
    for index, doc in enumerate(docs, start=1):
        prefix = f"d{index:03d}"
        doc["file"] = f"{prefix}_{doc['slug']}.txt"
        where = doc["file"]
        events = []
        for number, line in enumerate(doc["events"], start=1):
            try:
                event, tags = parse_event(line, where, number, prefix)
            except SourceError as exc:
                problems.append(str(exc))
                continue
            events.append(event)
            for kind, tag in tags.items():
                doc["tags"].setdefault(kind, []).append((tag, event["id"]))
        doc["events"] = events
        text = fold(doc["text"])
        quotes = [e["sentence"] for e in events]
        quotes += [x["sentence"] for key in ("negatives", "mediation", "ignore") for x in doc[key]
                   if x.get("sentence")]
        for quote in quotes:
            count = text.count(fold(quote))
            if count != 1:
                problems.append(f"{where}: {quote!r} occurs {count} times")
        forms = [f for g in doc["alias_groups"] for f in g["forms"]]
        forms += [f for pair in doc["must_not_merge"] for f in pair]
        problems += [f"{where}: form {f!r} not found" for f in forms if fold(f) not in text]
        words = len(doc["text"].split())
        if not 60 <= words <= 250:
            problems.append(f"{where}: {words} words (want 60-250)")
    return problems


def assign_parts(docs: list[dict[str, Any]]) -> None:
    """Split by unit (a text, or all texts joined by linking groups), round robin per style.

    The counter runs per style over units in order of appearance, so appending texts never moves
    an earlier text from one part to the other.
    """
    parent: dict[str, str] = {d["file"]: d["file"] for d in docs}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    first_of: dict[str, str] = {}
    for doc in docs:
        for tag, _ in doc["tags"].get("g", []):
            if tag in first_of:
                parent[root(doc["file"])] = root(first_of[tag])
            else:
                first_of[tag] = doc["file"]
    units: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        units[root(doc["file"])].append(doc)
    counters: Counter[str] = Counter()
    for members in units.values():
        style = members[0]["style"]
        part = PATTERN[counters[style] % len(PATTERN)]
        counters[style] += 1
        for doc in members:
            doc["part"] = part


GOLD_KEYS = ("file", "published", "published_precision", "published_how", "published_note",
             "events", "negatives", "ignore", "alias_groups", "must_not_merge", "mediation")
EVENT_ORDER = ("id", "sentence", "type", "alt_types", "actor", "actor_sector", "recipient",
               "recipient_sector", "alt_recipient", "mediator", "symmetric", "date", "date_end",
               "date_precision", "place", "place_country", "optional", "note")


class FlowList(list):  # type: ignore[type-arg]
    pass


def _flow(dumper: yaml.SafeDumper, data: FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


yaml.SafeDumper.add_representer(FlowList, _flow)


def gold_doc(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in GOLD_KEYS:
        if key not in doc:
            continue
        value = doc[key]
        if key == "events":
            value = [{k: (FlowList(e[k]) if isinstance(e[k], list) else e[k]) for k in EVENT_ORDER if k in e}
                     for e in value]
        elif key in {"negatives", "alias_groups", "mediation"}:
            value = [{k: (FlowList(v) if isinstance(v, list) else v) for k, v in x.items()} for x in value]
        elif key == "must_not_merge":
            value = [FlowList(p) for p in value]
        if key != "events" and value == []:
            continue
        out[key] = value
    return out


def write(docs: list[dict[str, Any]]) -> None:
    for part in PARTS:
        folder = HERE / part
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
        members = [d for d in docs if d["part"] == part]
        for doc in members:
            (folder / doc["file"]).write_text(doc["text"], encoding="utf-8")
        gold = {"format": "detente-gold/1", "corpus": f"dev-{part}",
                "documents": [gold_doc(d) for d in members]}
        header = (f"# Development corpus, part '{part}': {len(members)} texts in eval/dev/{part}/.\n"
                  "# Written by the team (see eval/dev/README.md). GENERATED by eval/dev/build.py from\n"
                  "# eval/dev/source/*.txt: edit the source, then rebuild. Format: docs/gold-format.md.\n")
        body = yaml.safe_dump(gold, sort_keys=False, allow_unicode=True, width=100)
        (HERE / f"{part}.gold.yaml").write_text(header + body, encoding="utf-8")
    write_linking(docs)
    write_stats(docs)


def write_linking(docs: list[dict[str, Any]]) -> None:
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    near: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc in docs:
        for tag, event_id in doc["tags"].get("g", []):
            groups[tag].append((event_id, doc["file"]))
        for tag, event_id in doc["tags"].get("n", []):
            near[tag].append((event_id, doc["file"]))
    out: dict[str, Any] = {"format": "detente-linking/1", "groups": [], "near_misses": []}
    for tag in sorted(groups):
        members = groups[tag]
        out["groups"].append({"id": tag, "part": next(d["part"] for d in docs if d["file"] == members[0][1]),
                              "events": FlowList(e for e, _ in members),
                              "files": FlowList(sorted({f for _, f in members}))})
    for tag in sorted(near):
        members = near[tag]
        if len(members) != 2:
            print(f"warning: near-miss {tag} has {len(members)} events, want 2; left out", file=sys.stderr)
            continue
        out["near_misses"].append({"id": tag, "events": FlowList(e for e, _ in members)})
    header = ("# Linking test set (format documented in eval/dev/README.md). GENERATED by\n"
              "# eval/dev/build.py from the g=/n= tags in eval/dev/source/*.txt.\n")
    (HERE / "linking.yaml").write_text(header + yaml.safe_dump(out, sort_keys=False, width=100),
                                       encoding="utf-8")


def write_stats(docs: list[dict[str, Any]]) -> None:
    lines = ["# Development corpus: counts (generated by eval/dev/build.py)", ""]
    types = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
             "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
    lines.append("| part | texts | words | events (required) | events (optional) | negatives | mediation |")
    lines.append("|------|-------|-------|-------------------|-------------------|-----------|-----------|")
    for part in (*PARTS, "all"):
        ds = [d for d in docs if part == "all" or d["part"] == part]
        req = sum(1 for d in ds for e in d["events"] if not e.get("optional"))
        opt = sum(1 for d in ds for e in d["events"] if e.get("optional"))
        lines.append(f"| {part} | {len(ds)} | {sum(len(d['text'].split()) for d in ds)} | {req} | {opt} | "
                     f"{sum(len(d['negatives']) for d in ds)} | {sum(len(d['mediation']) for d in ds)} |")
    lines += ["", "Events per type (required + optional):", "",
              "| type | tune | heldout | all |", "|------|------|---------|-----|"]
    for t in types:
        counts = [sum(1 for d in docs if part in {"all", d["part"]} for e in d["events"] if e["type"] == t)
                  for part in (*PARTS, "all")]
        lines.append(f"| {t} | {counts[0]} | {counts[1]} | {counts[2]} |")
    lines += ["", "Texts per style:", "", "| style | tune | heldout | all |",
              "|-------|------|---------|-----|"]
    for style in sorted({d["style"] for d in docs}):
        counts = [sum(1 for d in docs if d["style"] == style and part in {"all", d["part"]})
                  for part in (*PARTS, "all")]
        lines.append(f"| {style} | {counts[0]} | {counts[1]} | {counts[2]} |")
    countries = Counter(c for d in docs for c in d["countries"])
    lines += ["", f"Countries and territories in focus ({len(countries)}):", "",
              ", ".join(f"{c} {n}" for c, n in sorted(countries.items())), ""]
    sectors = Counter(s for d in docs for e in d["events"] for k in ("actor_sector", "recipient_sector")
                      for s in e.get(k, []) if s)
    lines += ["Sectors annotated on events:", "",
              ", ".join(f"{s} {n}" for s, n in sorted(sectors.items())), ""]
    how = Counter(d["published_how"] for d in docs)
    lines += ["Published date from:", "", ", ".join(f"{h} {n}" for h, n in sorted(how.items())), ""]
    (HERE / "stats.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    docs = read_sources()
    problems = finish(docs)
    sys.path.insert(0, str(HERE.parent.parent / "tests"))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problems; nothing written", file=sys.stderr)
        return 1
    assign_parts(docs)
    from test_gold_files import gold_errors

    errors = [e for part in PARTS for e in gold_errors(
        {"format": "detente-gold/1", "documents": [gold_doc(d) for d in docs if d["part"] == part]})]
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} gold errors; nothing written", file=sys.stderr)
        return 1
    write(docs)
    types = Counter(e["type"] for d in docs for e in d["events"])
    print(f"{len(docs)} texts, {sum(types.values())} events; "
          + " ".join(f"{t}:{n}" for t, n in sorted(types.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
