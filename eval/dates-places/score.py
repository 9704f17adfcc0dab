"""Score datelines, event dates and places on a dates-and-places gold set.

    PYTHONPATH=src python eval/dates-places/score.py eval/dates-places/tune.gold.yaml eval/dates-places/tune
    PYTHONPATH=src python eval/dates-places/score.py GOLD FOLDER --json out.json
    PYTHONPATH=src python eval/dates-places/score.py eval/dev/tune.gold.yaml eval/dev/tune

Any gold file in ``detente-gold/1`` with its folder of texts will do: a gold set without
``trigger`` fields (such as ``eval/dev``) gives the end-to-end figures only.

The texts are read as ``detente ingest`` reads them (sniffing, the language check) and run through
the pipeline. Two measurements per gold event:

* *end to end*: the extracted events aligned with the gold sentence (overlapping sentence span) and
  of the gold type; the event counts as found when there is one, and the date and place of the one
  whose trigger lies in the gold quote (else the nearest) are scored;
* *given the trigger*: the pipeline's own dating and placing (``Pipeline._date``/``_place``) run on
  an event built at the gold ``trigger`` with no participants, so that dates and places are scored
  on every gold event, also those the event coder does not extract.

Figures: dateline read (the article's date equals the gold ``published``, or both are absent), no
file rejected, day-precision gold dates exact (value, precision and end equal), day-precision gold
dates *inside* (the evaluator's full credit: a day inside a gold range "the report's day or the day
before" counts), all gold dates exact, admin-1 right (the place's
first-level subdivision, or the place itself when it is one, equals ``place_admin1``; on a gold
set without ``place_admin1``, such as ``eval/dev``, the subdivision of the gold ``place`` as the
gazetteer finds it in the gold country, for events whose gold place lies below the country), and
the place's country right.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from detente.dates import article_reference_date
from detente.evaluate import date_credit, load_gold, normalise
from detente.ingest import read_paths
from detente.model import Article, DateValue, Event, Place
from detente.pipeline import Pipeline
from detente.places import Gazetteer, document_focus, place_key


def _date_str(d: DateValue | None) -> str:
    if d is None:
        return "-"
    return f"{d.value}{'/' + d.end if d.end else ''} ({d.precision}, {d.how})"


def _exact(gold: dict[str, Any], pred: DateValue | None) -> bool:
    return pred is not None and pred.value == gold["date"] and pred.precision == gold["date_precision"] \
        and (pred.end or None) == (gold.get("date_end") or None)


def _inside(gold: dict[str, Any], pred: DateValue | None) -> bool:
    """The evaluator's full date credit (``detente.evaluate.date_credit`` 1): the prediction lies
    inside the gold day or range ("2023-01-08" inside a gold "2023-01-08/2023-01-09", the annotator
    unsure between the report's day and the day before) at the same or a finer precision."""
    want = DateValue(str(gold["date"]), gold["date_precision"],
                     str(gold["date_end"]) if gold.get("date_end") else None)
    return date_credit(want, pred) == 1.0


def _admin1(place: Place | None) -> str | None:
    if place is None:
        return None
    if place.feature == "province":
        return place.name
    return place.province


def gold_admin1(ge: dict[str, Any], gazetteer: Gazetteer) -> str | None:
    """The gold event's first-level subdivision: its ``place_admin1``, else (a gold set without
    one, such as ``eval/dev``) that of its gold ``place`` found in its ``place_country`` by the
    gazetteer, when the place is below the country (a city, a province); None for a country or
    a name the gazetteer does not find there."""
    if ge.get("place_admin1"):
        return str(ge["place_admin1"])
    name, country = ge.get("place"), ge.get("place_country")
    if not name or not country:
        return None
    place = gazetteer.lookup_in(str(name), str(country))
    if place is None or place.feature == "country":
        return None
    return _admin1(place)


def _score_extracted(tally: Tally, ge: dict[str, Any], best: Event, label: str,
                     want_admin1: str | None = None) -> None:
    """Date and place of the extracted event aligned with a gold event (``want_admin1``: the gold
    event's first-level subdivision, given or derived by :func:`gold_admin1`)."""
    if ge.get("date") is not None:
        precision = ge["date_precision"]
        tally.add("e2e-date", _exact(ge, best.date),
                  f"{label}: {_date_str(best.date)} vs {ge['date']} ({precision})")
        if precision == "day":
            tally.add("e2e-day", _exact(ge, best.date), f"{label}: {_date_str(best.date)} vs {ge['date']}")
            tally.add("e2e-day-in", _inside(ge, best.date),
                      f"{label}: {_date_str(best.date)} vs {ge['date']}/{ge.get('date_end') or ''}")
    if ge.get("place_country"):
        want = place_key(ge.get("place") or "")
        named = best.place is not None and (place_key(best.place.name) == want or (
            best.place.province is not None and place_key(best.place.province) == want))
        tally.add("e2e-place", named, f"{label}: {best.place and best.place.name} vs {ge.get('place')}")
        tally.add("e2e-country", best.place is not None and best.place.country_code == ge["place_country"],
                  f"{label}: {best.place and best.place.country_code} vs {ge['place_country']}")
    if want_admin1:
        got = _admin1(best.place)
        tally.add("e2e-admin1", got is not None and place_key(got) == place_key(want_admin1),
                  f"{label}: {best.place and (best.place.name, got)} vs {want_admin1}"
                  f"{'' if ge.get('place_admin1') else ' (derived from ' + str(ge.get('place')) + ')'}")


class Tally:
    def __init__(self) -> None:
        self.n: dict[str, int] = {}
        self.ok: dict[str, int] = {}
        self.misses: dict[str, list[str]] = {}

    def add(self, key: str, ok: bool, miss: str = "") -> None:
        self.n[key] = self.n.get(key, 0) + 1
        self.ok[key] = self.ok.get(key, 0) + int(ok)
        if not ok and miss:
            self.misses.setdefault(key, []).append(miss)

    def line(self, key: str, label: str) -> str:
        n, ok = self.n.get(key, 0), self.ok.get(key, 0)
        share = f"{ok / n:6.1%}" if n else "   n/a"
        return f"  {label:<40} {share}  {ok}/{n}"


def _find_sentence(text: str, quote: str) -> int:
    at = text.find(quote)
    if at < 0:  # quotes folded as the evaluator does
        norm = normalise(text)
        at = norm.find(normalise(quote))
    return at


def score(gold_path: Path, folder: Path, pipeline: Pipeline) -> tuple[Tally, list[str]]:
    load_gold(gold_path)  # validates the file
    raw = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    golds = {d["file"]: d for d in raw["documents"]}
    tally = Tally()
    notes: list[str] = []
    articles: dict[str, Article] = {}
    for item in read_paths([folder]):
        if isinstance(item, Article):
            articles[Path(item.path).name] = item
        else:
            notes.append(f"rejected: {item}")
    for name in sorted(golds):
        tally.add("rejected-none", name in articles, f"{name}: not read")
    nlp = pipeline.resources.nlp
    for name, gdoc in sorted(golds.items()):
        article = articles.get(name)
        if article is None:
            continue
        got = article.published
        want = gdoc.get("published")
        ok = (got is None and want is None) or (
            got is not None and want is not None and got.value == str(want))
        tally.add("dateline", ok, f"{name}: read {_date_str(got)} (found {article.found.get('published')}), "
                                  f"gold {want}")
        doc = nlp(article.text)
        processed = pipeline.process(article, doc)
        sents = list(doc.sents)
        mentions = processed.mentions
        focus = document_focus(mentions, pipeline.resources.gazetteer, article.found.get("dateline_place"))
        base = article_reference_date(article.published, article.text)
        synthetic: list[Event] = []
        for ge in sorted(gdoc.get("events") or [], key=lambda g: _find_sentence(article.text, g["sentence"])):
            at = _find_sentence(article.text, ge["sentence"])
            span = (at, at + len(ge["sentence"]))
            label = f"{name} {ge['id']} {ge['sentence'][:60]!r}"
            aligned = [e for e in processed.events if e.sent_start < span[1] and span[0] < e.sent_end
                       and e.event == ge["type"]]
            tally.add("e2e-found", bool(aligned), label)
            # of several events of the type in the sentence, the one whose trigger is in the quote,
            # else the nearest to it ("X on Wednesday, a day after Y announced": Y's quote is Y's)
            aligned.sort(key=lambda e: (not span[0] <= e.trigger_start < span[1],
                                        min(abs(e.trigger_start - span[0]), abs(e.trigger_start - span[1]))))
            best = aligned[0] if aligned else None
            if best is not None:
                _score_extracted(tally, ge, best, label, gold_admin1(ge, pipeline.resources.gazetteer))
            if not ge.get("trigger") or at < 0 or article.text.find(ge["trigger"], at) < 0:
                continue  # a gold set without triggers: end-to-end figures only
            trig_at = article.text.find(ge["trigger"], at)
            sent_i = next(i for i, s in enumerate(sents) if s.start_char <= trig_at < s.end_char)
            sent = sents[sent_i]
            ev = Event(doc_id=article.doc_id, sentence_index=sent_i, sent_start=sent.start_char,
                       sent_end=sent.end_char, text=sent.text, event=ge["type"], actor=[], recipient=[],
                       trigger=ge["trigger"], trigger_start=trig_at, trigger_end=trig_at + len(ge["trigger"]))
            # the pipeline's own dating and placing, with the gold events before this one as context
            pipeline._date(ev, sent, base, [*synthetic, ev])
            pipeline._place(ev, sent, mentions, [*synthetic, ev], focus)
            synthetic.append(ev)
            if ge.get("date") is not None:
                precision = ge["date_precision"]
                tally.add("trigger-date", _exact(ge, ev.date),
                          f"{label}: {_date_str(ev.date)} vs {ge['date']} ({precision})")
                if precision == "day":
                    tally.add("trigger-day", _exact(ge, ev.date),
                              f"{label}: {_date_str(ev.date)} vs {ge['date']}")
                    tally.add("trigger-day-in", _inside(ge, ev.date),
                              f"{label}: {_date_str(ev.date)} vs {ge['date']}/{ge.get('date_end') or ''}")
            if ge.get("place_admin1"):
                got_a = _admin1(ev.place)
                right_a = got_a is not None and place_key(got_a) == place_key(ge["place_admin1"])
                tally.add("trigger-admin1", right_a,
                          f"{label}: {ev.place and (ev.place.name, ev.place.country_code, got_a)} vs "
                          f"{ge['place_admin1']}")
            if ge.get("place_country"):
                right = ev.place is not None and ev.place.country_code == ge["place_country"]
                tally.add("trigger-country", right,
                          f"{label}: {ev.place and (ev.place.name, ev.place.country_code)} vs "
                          f"{ge['place_country']}")
    notes.append(f"{len(golds)} texts, {sum(len(d.get('events') or []) for d in golds.values())} gold events")
    return tally, notes


ROWS = [
    ("dateline", "dateline / article date read"),
    ("rejected-none", "files read (none rejected)"),
    ("trigger-day", "day-precision dates exact (given trigger)"),
    ("trigger-day-in", "day-precision inside gold (given trigger)"),
    ("trigger-date", "all gold dates exact (given trigger)"),
    ("trigger-admin1", "admin-1 right (given trigger)"),
    ("trigger-country", "place country right (given trigger)"),
    ("e2e-found", "gold events extracted (type matched)"),
    ("e2e-day", "day-precision exact (extracted)"),
    ("e2e-day-in", "day-precision inside gold (extracted)"),
    ("e2e-date", "all dates exact (extracted)"),
    ("e2e-admin1", "admin-1 right (extracted)"),  # derived on eval/dev
    ("e2e-place", "place named right (extracted)"),
    ("e2e-country", "place country right (extracted)"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--misses", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    tally, notes = score(args.gold, args.folder, Pipeline.load())
    print(f"{args.gold}: {'; '.join(notes)}")
    for key, label in ROWS:
        print(tally.line(key, label))
    if args.misses:
        for key, _label in ROWS:
            for miss in tally.misses.get(key, []):
                print(f"  miss [{key}] {miss}")
    if args.json:
        args.json.write_text(json.dumps({"n": tally.n, "ok": tally.ok, "misses": tally.misses}, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
