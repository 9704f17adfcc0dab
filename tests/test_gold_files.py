"""The gold annotation files (eval/*.gold.yaml) follow docs/gold-format.md.

The validator below checks structure only (types, codes, dates, field names); for the bundled
sample corpus it also checks that every quoted sentence, alias and must-not-merge form occurs in
the example file it names. The seed articles are not read here (tests never read ../shared).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from detente.model import SECTORS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_GOLD = ROOT / "eval" / "examples.gold.yaml"
SEEDS_GOLD = ROOT / "eval" / "seeds.gold.yaml"
EXAMPLES_DIR = ROOT / "examples"

PLOVER_TYPES = frozenset({
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
})
IGO_CODES = frozenset({"UNO", "OIC", "SCO", "NAT", "EUR", "GCC", "ARL", "ASN", "IAE", "IMF", "WBK"})
PRECISION_PATTERNS = {
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "year": re.compile(r"\d{4}"),
}
PUBLISHED_HOW = frozenset({"date-line", "byline", "caption-inferred", "html-metadata", "record", "none"})
NEGATIVE_REASONS = frozenset({"negated", "denial", "hypothetical", "hedged"})
MEDIATION_KINDS = frozenset({"offer", "hosted", "brokered", "facilitated", "engagement", "shuttle"})
CLAIM_UNITS = frozenset({"km", "mile"})

DOC_KEYS = frozenset({"file", "record", "published", "published_precision", "published_how",
                      "published_note", "events", "negatives", "ignore", "alias_groups",
                      "must_not_merge", "mediation", "claims"})
EVENT_KEYS = frozenset({"id", "sentence", "type", "alt_types", "actor", "actor_sector", "recipient",
                        "recipient_sector", "alt_recipient", "mediator", "symmetric", "date",
                        "date_end", "date_precision", "place", "place_country", "optional", "note"})
EVENT_REQUIRED = frozenset({"id", "sentence", "type", "actor", "recipient", "date", "date_precision"})
NEGATIVE_KEYS = frozenset({"sentence", "reason", "types", "actor", "note"})
MEDIATION_KEYS = frozenset({"mediator", "parties", "kind", "date", "date_end", "date_precision",
                            "sentence", "note"})
CLAIM_KEYS = frozenset({"subject", "parties", "value", "unit", "sentence", "note"})


# --- the validator -----------------------------------------------------------------------------


def valid_code(code: object) -> bool:
    """An ISO 3166-1 alpha-3 country code or one of the IGO codes."""
    if not isinstance(code, str):
        return False
    return code in IGO_CODES or (code.isupper() and pycountry.countries.get(alpha_3=code) is not None)


def _parse(value: str, precision: str) -> dt.date | None:
    if not PRECISION_PATTERNS[precision].fullmatch(value):
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def date_errors(obj: dict[str, Any], where: str, value_key: str = "date",
                precision_key: str = "date_precision", allow_null: bool = True) -> list[str]:
    value, precision, end = obj.get(value_key), obj.get(precision_key), obj.get("date_end")
    if value is None:
        if not allow_null:
            return [f"{where}: {value_key} is required"]
        if precision is not None or end is not None:
            return [f"{where}: a null {value_key} takes a null precision and no date_end"]
        return []
    if precision not in PRECISION_PATTERNS:
        return [f"{where}: bad {precision_key} {precision!r}"]
    start = _parse(str(value), precision)
    if start is None:
        return [f"{where}: {value_key} {value!r} does not match precision {precision}"]
    if end is not None:
        last = _parse(str(end), precision)
        if last is None:
            return [f"{where}: date_end {end!r} does not match precision {precision}"]
        if last <= start:
            return [f"{where}: date_end {end!r} is not after {value!r}"]
    return []


def code_list_errors(obj: dict[str, Any], key: str, where: str, required: bool) -> list[str]:
    if key not in obj:
        return [f"{where}: missing {key}"] if required else []
    codes = obj[key]
    if not isinstance(codes, list):
        return [f"{where}: {key} must be a list"]
    errors = [f"{where}: {key} has bad code {c!r}" for c in codes if not valid_code(c)]
    if len(set(codes)) != len(codes):
        errors.append(f"{where}: {key} repeats a code")
    sector_key = f"{key}_sector"
    if sector_key in obj:
        sectors = obj[sector_key]
        if not isinstance(sectors, list) or len(sectors) != len(codes):
            errors.append(f"{where}: {sector_key} must parallel {key}")
        else:
            errors += [f"{where}: bad sector {s!r}" for s in sectors if s is not None and s not in SECTORS]
    return errors


def event_errors(event: Any, where: str) -> list[str]:
    if not isinstance(event, dict):
        return [f"{where}: an event must be a mapping"]
    where = f"{where} event {event.get('id')}"
    errors = [f"{where}: unknown key {k!r}" for k in event if k not in EVENT_KEYS]
    errors += [f"{where}: missing {k}" for k in sorted(EVENT_REQUIRED - event.keys())]
    if not isinstance(event.get("sentence"), str) or not event.get("sentence", "").strip():
        errors.append(f"{where}: sentence must be a non-empty string")
    if event.get("type") not in PLOVER_TYPES:
        errors.append(f"{where}: type {event.get('type')!r} is not a PLOVER type")
    alt = event.get("alt_types", [])
    if not isinstance(alt, list) or any(t not in PLOVER_TYPES for t in alt) or event.get("type") in alt:
        errors.append(f"{where}: alt_types must be other PLOVER types")
    errors += code_list_errors(event, "actor", where, required=True)
    errors += code_list_errors(event, "recipient", where, required=True)
    errors += code_list_errors(event, "alt_recipient", where, required=False)
    errors += code_list_errors(event, "mediator", where, required=False)
    if not event.get("actor") and not event.get("recipient"):
        errors.append(f"{where}: an event needs an actor or a recipient")
    if event.get("symmetric") and (not event.get("actor") or not event.get("recipient")):
        errors.append(f"{where}: a symmetric event needs both actor and recipient")
    for flag in ("symmetric", "optional"):
        if flag in event and not isinstance(event[flag], bool):
            errors.append(f"{where}: {flag} must be true or false")
    if "place_country" in event and not valid_code(event["place_country"]):
        errors.append(f"{where}: bad place_country {event['place_country']!r}")
    if "place_country" in event and not event.get("place"):
        errors.append(f"{where}: place_country without place")
    errors += date_errors(event, where)
    return errors


def document_errors(doc: Any, index: int) -> list[str]:
    if not isinstance(doc, dict):
        return [f"document {index}: must be a mapping"]
    where = f"{doc.get('file')}:{doc.get('record')}"
    errors = [f"{where}: unknown key {k!r}" for k in doc if k not in DOC_KEYS]
    if not isinstance(doc.get("file"), str) or not doc.get("file"):
        errors.append(f"document {index}: missing file")
    suffix = Path(str(doc.get("file"))).suffix
    if suffix in {".jsonl", ".json", ".csv"} and not doc.get("record"):
        errors.append(f"{where}: a record file needs a record id")
    if suffix not in {".jsonl", ".json", ".csv"} and doc.get("record") is not None:
        errors.append(f"{where}: only record files take a record id")
    if doc.get("published_how") not in PUBLISHED_HOW:
        errors.append(f"{where}: bad published_how {doc.get('published_how')!r}")
    errors += date_errors(doc, where, "published", "published_precision", allow_null=False)
    events = doc.get("events")
    if not isinstance(events, list):
        errors.append(f"{where}: events must be a list")
        events = []
    for event in events:
        errors += event_errors(event, where)
    for neg in doc.get("negatives", []):
        errors += [f"{where} negative: unknown key {k!r}" for k in neg if k not in NEGATIVE_KEYS]
        if neg.get("reason") not in NEGATIVE_REASONS:
            errors.append(f"{where} negative: bad reason {neg.get('reason')!r}")
        if not neg.get("types") or any(t not in PLOVER_TYPES for t in neg["types"]):
            errors.append(f"{where} negative: types must be PLOVER types")
        errors += code_list_errors(neg, "actor", f"{where} negative", required=False)
        if not neg.get("sentence"):
            errors.append(f"{where} negative: missing sentence")
    for ign in doc.get("ignore", []):
        if not ign.get("sentence") or not ign.get("reason"):
            errors.append(f"{where} ignore: needs sentence and reason")
    for group in doc.get("alias_groups", []):
        if not valid_code(group.get("code")):
            errors.append(f"{where} alias group: bad code {group.get('code')!r}")
        forms = group.get("forms")
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f for f in forms):
            errors.append(f"{where} alias group: forms must be non-empty strings")
        if "sector" in group and group["sector"] not in SECTORS:
            errors.append(f"{where} alias group: bad sector {group['sector']!r}")
    for pair in doc.get("must_not_merge", []):
        if not isinstance(pair, list) or len(pair) != 2 or pair[0] == pair[1]:
            errors.append(f"{where} must_not_merge: {pair!r} is not a pair of two forms")
    for med in doc.get("mediation", []):
        mwhere = f"{where} mediation {med.get('mediator')}"
        errors += [f"{mwhere}: unknown key {k!r}" for k in med if k not in MEDIATION_KEYS]
        if not valid_code(med.get("mediator")):
            errors.append(f"{mwhere}: bad mediator code")
        parties = med.get("parties")
        if (not isinstance(parties, list) or len(parties) != 2 or len(set(parties)) != 2
                or not all(valid_code(p) for p in parties) or med.get("mediator") in parties):
            errors.append(f"{mwhere}: parties must be two other valid codes")
        if med.get("kind") not in MEDIATION_KINDS:
            errors.append(f"{mwhere}: bad kind {med.get('kind')!r}")
        errors += date_errors(med, mwhere)
    for claim in doc.get("claims", []):
        errors += [f"{where} claim: unknown key {k!r}" for k in claim if k not in CLAIM_KEYS]
        if claim.get("unit") not in CLAIM_UNITS or not isinstance(claim.get("value"), int | float):
            errors.append(f"{where} claim: needs a numeric value and a unit in {sorted(CLAIM_UNITS)}")
        if not isinstance(claim.get("parties"), list) or not all(valid_code(p) for p in claim["parties"]):
            errors.append(f"{where} claim: bad parties")
    return errors


def gold_errors(gold: Any) -> list[str]:
    """Every structural problem in a loaded gold file (an empty list when it is valid)."""
    if not isinstance(gold, dict) or gold.get("format") != "detente-gold/1":
        return ["top level: format must be detente-gold/1"]
    docs = gold.get("documents")
    if not isinstance(docs, list) or not docs:
        return ["top level: documents must be a non-empty list"]
    errors: list[str] = []
    for index, doc in enumerate(docs):
        errors += document_errors(doc, index)
    keys = [(d.get("file"), d.get("record")) for d in docs if isinstance(d, dict)]
    if len(set(keys)) != len(keys):
        errors.append("top level: a document (file, record) appears twice")
    ids = [e.get("id") for d in docs if isinstance(d, dict) for e in d.get("events") or []
           if isinstance(e, dict)]
    if len(set(ids)) != len(ids):
        errors.append("top level: event ids must be unique")
    return errors


# --- reading the examples the way the gold quotes them -----------------------------------------


def fold(text: str) -> str:
    """The normalisation used for alignment: NFKC, straight quotes, collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text)


def example_text(file: str, record: str | None) -> str:
    path = EXAMPLES_DIR / file
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        return next(r["text"] for r in rows if r["id"] == record)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return next(r["text"] for r in csv.DictReader(handle) if r["id"] == record)
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        body = re.search(r"<article>(.*)</article>", raw, re.S)
        assert body, f"{file} has no <article>"
        return html.unescape(re.sub(r"<[^>]+>", " ", body.group(1)))
    return raw


# --- tests ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_gold() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLES_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seeds_gold() -> dict[str, Any]:
    return yaml.safe_load(SEEDS_GOLD.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [EXAMPLES_GOLD, SEEDS_GOLD], ids=["examples", "seeds"])
def test_gold_file_is_valid(path: Path) -> None:
    assert gold_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_seed_gold_covers_the_five_seed_articles(seeds_gold: dict[str, Any]) -> None:
    files = [d["file"] for d in seeds_gold["documents"]]
    assert len(files) == 5
    assert all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", f) for f in files)
    required = [e for d in seeds_gold["documents"] for e in d["events"] if not e.get("optional")]
    assert 30 <= len(required) <= 80


def test_every_example_file_is_annotated(examples_gold: dict[str, Any]) -> None:
    on_disk = {p.name for p in EXAMPLES_DIR.iterdir() if p.suffix in {".txt", ".html", ".jsonl", ".csv"}}
    assert {d["file"] for d in examples_gold["documents"]} == on_disk


def test_example_quotes_occur_in_their_documents(examples_gold: dict[str, Any]) -> None:
    missing: list[str] = []
    for doc in examples_gold["documents"]:
        text = fold(example_text(doc["file"], doc.get("record")))
        quoted = [e["sentence"] for e in doc["events"]]
        quoted += [x["sentence"] for key in ("negatives", "ignore", "mediation", "claims")
                   for x in doc.get(key, []) if x.get("sentence")]
        for sentence in quoted:
            if text.count(fold(sentence)) != 1:
                missing.append(f"{doc['file']}: {sentence!r} does not occur exactly once")
        forms = [f for g in doc.get("alias_groups", []) for f in g["forms"]]
        forms += [f for pair in doc.get("must_not_merge", []) for f in pair]
        missing += [f"{doc['file']}: form {f!r} not found" for f in forms if fold(f) not in text]
    assert missing == []


def test_examples_carry_the_planted_disagreement_and_shared_event(examples_gold: dict[str, Any]) -> None:
    lengths = {(c["value"], c["unit"]) for d in examples_gold["documents"] for c in d.get("claims", [])
               if c["subject"] == "border_length"}
    assert lengths == {(909, "km"), (959, "km")}
    calls = {(d["file"], d.get("record")) for d in examples_gold["documents"] for e in d["events"]
             if e["type"] == "CONSULT" and e["date"] == "2024-01-19" and set(e["actor"] + e["recipient"])
             == {"PAK", "IRN"}}
    assert len(calls) >= 2  # the same phone call, reported by two outlets
    reasons = {n["reason"] for d in examples_gold["documents"] for n in d.get("negatives", [])}
    assert {"denial", "hypothetical"} <= reasons


def _event(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["documents"][0]["events"][0]


BROKEN: list[tuple[str, Any]] = [
    ("type not PLOVER", lambda g: _event(g).update(type="FIGHT")),
    ("lower-case type", lambda g: _event(g).update(type="assault")),
    ("alt type repeats type", lambda g: _event(g).update(alt_types=[_event(g)["type"]])),
    ("bad actor code", lambda g: _event(g).update(actor=["Pakistan"])),
    ("alpha-2 code", lambda g: _event(g).update(recipient=["PK"])),
    ("bad mediator", lambda g: _event(g).update(mediator=["XXX"])),
    ("day date at month precision", lambda g: _event(g).update(date="2020-01-03", date_precision="month")),
    ("month date at day precision", lambda g: _event(g).update(date="2020-01", date_precision="day")),
    ("impossible date", lambda g: _event(g).update(date="2020-02-30", date_precision="day")),
    ("null date with precision", lambda g: _event(g).update(date=None, date_precision="day")),
    ("end before start", lambda g: _event(g).update(date="2020-01-09", date_end="2020-01-03",
                                                   date_precision="day")),
    ("unknown event key", lambda g: _event(g).update(who="USA")),
    ("missing sentence", lambda g: _event(g).pop("sentence")),
    ("sector list length", lambda g: _event(g).update(actor_sector=["REB", "GOV"])),
    ("unknown sector", lambda g: _event(g).update(actor_sector=["ARMY"])),
    ("bad published date", lambda g: g["documents"][0].update(published="Jan 9, 2020")),
    ("record file without record", lambda g: g["documents"][0].update(file="a.jsonl", record=None)),
    ("bad mediation kind", lambda g: g["documents"][0]["mediation"][0].update(kind="arbitrated")),
    ("mediator among parties", lambda g: g["documents"][0]["mediation"][0].update(parties=["PAK", "IRN"])),
    ("bad negative reason", lambda g: g["documents"][0]["negatives"][0].update(reason="unlikely")),
    ("duplicate event id", lambda g: g["documents"][0]["events"].append(copy.deepcopy(_event(g)))),
    ("wrong format tag", lambda g: g.update(format="gold/0")),
]


@pytest.mark.parametrize("label,break_it", BROKEN, ids=[b[0] for b in BROKEN])
def test_validator_rejects_broken_gold(examples_gold: dict[str, Any], label: str, break_it: Any) -> None:
    gold = copy.deepcopy(examples_gold)
    assert gold["documents"][0]["file"] == "soleimani_pakistan_offer.txt"  # the mutations assume it
    break_it(gold)
    assert gold_errors(gold), label


# --- the development corpus (eval/dev/, written by the team; see eval/dev/README.md) ----------

DEV_DIR = ROOT / "eval" / "dev"
DEV_PARTS = ("tune", "heldout")


def _dev_gold(part: str) -> dict[str, Any]:
    return yaml.safe_load((DEV_DIR / f"{part}.gold.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("part", DEV_PARTS)
def test_dev_gold_file_is_valid(part: str) -> None:
    assert gold_errors(_dev_gold(part)) == []


@pytest.mark.parametrize("part", DEV_PARTS)
def test_dev_gold_annotates_exactly_the_texts_of_its_part(part: str) -> None:
    on_disk = {p.name for p in (DEV_DIR / part).glob("*.txt")}
    assert {d["file"] for d in _dev_gold(part)["documents"]} == on_disk


@pytest.mark.parametrize("part", DEV_PARTS)
def test_dev_quotes_occur_exactly_once_in_their_texts(part: str) -> None:
    problems: list[str] = []
    for doc in _dev_gold(part)["documents"]:
        text = fold((DEV_DIR / part / doc["file"]).read_text(encoding="utf-8"))
        quoted = [e["sentence"] for e in doc["events"]]
        quoted += [x["sentence"] for key in ("negatives", "ignore", "mediation", "claims")
                   for x in doc.get(key, []) if x.get("sentence")]
        problems += [f"{doc['file']}: {s!r} does not occur exactly once" for s in quoted
                     if text.count(fold(s)) != 1]
        forms = [f for g in doc.get("alias_groups", []) for f in g["forms"]]
        forms += [f for pair in doc.get("must_not_merge", []) for f in pair]
        problems += [f"{doc['file']}: form {f!r} not found" for f in forms if fold(f) not in text]
    assert problems == []


def test_dev_parts_share_no_text_and_linking_ids_exist() -> None:
    golds = {part: _dev_gold(part) for part in DEV_PARTS}
    files = [{d["file"] for d in g["documents"]} for g in golds.values()]
    assert not files[0] & files[1]
    event_file = {e["id"]: (part, d["file"]) for part, g in golds.items() for d in g["documents"]
                  for e in d["events"]}
    linking = yaml.safe_load((DEV_DIR / "linking.yaml").read_text(encoding="utf-8"))
    assert linking["format"] == "detente-linking/1"
    grouped: dict[str, str] = {}
    for group in linking["groups"]:
        where = [event_file[e] for e in group["events"]]  # KeyError: an id that is not gold
        assert len({f for _, f in where}) >= 2, f"{group['id']} must span several reports"
        assert {p for p, _ in where} == {group["part"]}, f"{group['id']} crosses the split"
        grouped.update({e: group["id"] for e in group["events"]})
    for pair in linking["near_misses"]:
        first, second = pair["events"]
        assert first in event_file and second in event_file
        assert grouped.get(first, first) != grouped.get(second, second), f"{pair['id']} is also a group"


def test_dev_corpus_keeps_its_breadth() -> None:
    """The corpus promises (eval/dev/README.md): every type at least 25 required events, at least
    260 texts over at least 45 countries, 35 mediation entries, 15 linking groups."""
    docs = [d for part in DEV_PARTS for d in _dev_gold(part)["documents"]]
    required: dict[str, int] = {}
    for doc in docs:
        for event in doc["events"]:
            if not event.get("optional"):
                required[event["type"]] = required.get(event["type"], 0) + 1
    assert {t: n for t, n in required.items() if n < 25} == {}
    assert set(required) == PLOVER_TYPES
    assert len(docs) >= 260
    countries = {c for d in docs for e in d["events"] for c in e["actor"] + e["recipient"]} - IGO_CODES
    assert len(countries) >= 45
    assert sum(len(d.get("mediation", [])) for d in docs) >= 35
    linking = yaml.safe_load((DEV_DIR / "linking.yaml").read_text(encoding="utf-8"))
    assert len(linking["groups"]) >= 15 and len(linking["near_misses"]) >= 10
