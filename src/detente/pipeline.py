"""The article pipeline: nlp -> actors -> events -> dates -> places -> coding, one article at a time.

:class:`Resources` holds everything loaded once (spaCy, dictionaries, lexicons, gazetteer) and is
passed explicitly; nothing is configured through module globals. :meth:`Pipeline.process` turns an
:class:`~detente.model.Article` into a :class:`~detente.model.ProcessedArticle`, which the store
writes in one transaction. Worker processes each build their own :class:`Pipeline`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from detente.actors.countries import CountryTable
from detente.actors.dictionary import ActorDictionary
from detente.actors.generic import settle_countries
from detente.actors.resolve import ActorResolver
from detente.dates import (
    DatedEvent,
    article_reference_date,
    clause_tense,
    context_date,
    coreferent_date,
    date_for_event,
    open_quote_day,
    paragraph_before,
    parse_attachment,
    previous_date,
)
from detente.events.code import Coder
from detente.events.extract import EventExtractor
from detente.events.lexicon import Lexicon
from detente.model import ActorEntry, Article, DateValue, Event, ProcessedArticle, Sentence
from detente.nlp import DEFAULT_MODEL, doc_text, load_nlp
from detente.places import Gazetteer, locate_event, same_scene_place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _headline_end(article: Article) -> int:
    """Where the headline ends when the text opens with it (0 when it does not)."""
    title = (article.title or "").strip()
    if not title:
        return 0
    start = article.text.find(title)
    if start < 0 or article.text[:start].strip():
        return 0
    # a first line that is a dateline paragraph ("NEW DELHI, May 10 (Agency) — India and ...") or
    # a whole sentence of more than a dozen words is the body's lead, not a headline
    if _DATELINE.match(title) or (title.endswith((".", '."', ".\u201d")) and len(title.split()) > 12):
        return 0
    return start + len(title)


_DATELINE = re.compile(r"^[A-Z][A-Z .'\-]{1,40}(?:\s*[,(][^\n]{0,60})?\s+[\u2014\u2013-]+\s")


@dataclass(frozen=True)
class PipelineOptions:
    """What a user can change about processing (all of it reaches the CLI as options)."""

    model: str = DEFAULT_MODEL
    actor_files: tuple[str, ...] = ()
    lexicon_files: tuple[str, ...] = ()
    place_files: tuple[str, ...] = ()
    batch_size: int = 16


@dataclass
class Resources:
    nlp: Language
    dictionary: ActorDictionary
    countries: CountryTable
    lexicon: Lexicon
    coder: Coder
    gazetteer: Gazetteer

    @classmethod
    def load(cls, options: PipelineOptions = PipelineOptions()) -> Resources:
        return cls(
            nlp=load_nlp(options.model),
            dictionary=ActorDictionary.load([Path(p) for p in options.actor_files]),
            countries=CountryTable.load(),
            lexicon=Lexicon.load([Path(p) for p in options.lexicon_files]),
            coder=Coder.load(),
            gazetteer=Gazetteer.load([Path(p) for p in options.place_files]),
        )


@dataclass
class Pipeline:
    resources: Resources
    options: PipelineOptions = field(default_factory=PipelineOptions)

    def __post_init__(self) -> None:
        r = self.resources
        self.resolver = ActorResolver(r.dictionary, r.countries)
        self.extractor = EventExtractor(r.lexicon, r.coder)

    @classmethod
    def load(cls, options: PipelineOptions = PipelineOptions()) -> Pipeline:
        return cls(Resources.load(options), options)

    # -- public --------------------------------------------------------------------------------
    def process(self, article: Article, doc: Doc | None = None) -> ProcessedArticle:
        """Run every stage on one article (parsing it unless ``doc`` is given)."""
        if doc is not None:
            return self._stages(article, doc)
        with self.resources.nlp.memory_zone():
            return self._stages(article, self.resources.nlp(article.text))

    def process_many(self, articles: Iterable[Article]) -> Iterator[ProcessedArticle]:
        """Process articles in order, parsing them in batches with ``nlp.pipe``.

        Each batch runs in a spaCy memory zone: the strings a batch adds to the vocabulary (every
        new name in the news) are freed after it, so a long ingest does not grow without bound.
        Nothing that leaves a stage refers to spaCy objects.
        """
        nlp = self.resources.nlp
        size = self.options.batch_size
        it = iter(articles)
        while chunk := list(islice(it, size * 4)):
            with nlp.memory_zone():
                pairs = ((a.text, a) for a in chunk)
                for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=size):
                    yield self._stages(article, doc)

    def process_text(self, text: str, published: str | None = None, path: str = "<text>") -> \
            ProcessedArticle:
        """Convenience for the Python user and tests: a bare text with an optional ISO date."""
        pub = None
        if published:
            precision = ("year", "month", "day")[published.count("-")]
            pub = DateValue(published, precision, how="given")  # type: ignore[arg-type]
        return self.process(Article(text=text, path=path, published=pub,
                                    found={"published": "given"} if pub else {}))

    def actors_seen(self, processed: ProcessedArticle) -> list[ActorEntry]:
        ids = {m.actor_id for m in processed.mentions if m.actor_id}
        return [e for i in ids if (e := self.resources.dictionary.get(i)) is not None]

    # -- stages --------------------------------------------------------------------------------
    def _stages(self, article: Article, doc: Doc) -> ProcessedArticle:
        sents = list(doc.sents)
        sentences = [Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(sents)]
        mentions = self.resolver.find_mentions(doc, article)
        title_end = _headline_end(article)
        # a headline restates the body in the present tense and without a date: code the body
        events = [ev for ev in self.extractor.extract(doc, article, mentions)
                  if ev.sent_start >= title_end]
        base = article_reference_date(article.published, article.text)
        for ev in events:
            sent = sents[ev.sentence_index]
            self._date(ev, sent, base, events)
            self._place(ev, sent, mentions, events)
            settle_countries(ev)  # generic actors: the event's place before the focus country
            self._roles_on_the_day(ev, base)
            self.resources.coder.code(ev)
            ev.make_id()
        return ProcessedArticle(article=article, sentences=sentences, mentions=mentions, events=events)

    def _date(self, ev: Event, sent: Span, base: DateValue | None, events: Sequence[Event] = ()) -> None:
        """The event's date: its sentence's own (the parse picking between several), else one from
        the context (an open quotation, the previous event, an earlier mention, the time of
        writing); see :mod:`detente.dates`. ``events`` are the article's events in text order,
        those before ``ev`` already dated."""
        if ev.date is not None:
            return
        start = ev.sent_start
        earlier = [e for e in events if (e.sentence_index, e.trigger_start) < (ev.sentence_index,
                                                                                ev.trigger_start)]
        prefix = paragraph_before(doc_text(sent.doc), start)
        previous = previous_date(earlier[-1].trigger_start if earlier else None,
                                 earlier[-1].date if earlier else None, prefix, start - len(prefix), base)
        trigger = next((t for t in sent if t.idx >= ev.trigger_start), sent.root)
        ents = [(e.start_char - start, e.end_char - start, e.text) for e in sent.ents if e.label_ == "DATE"]
        ev.date = date_for_event(ev.text, ev.trigger_start - start, base, ents, anchor=previous,
                                 attachment=parse_attachment(sent, trigger),
                                 quote_day=open_quote_day(prefix, base))
        if ev.date is not None:
            return
        coreferent = coreferent_date(ev.event, (p.code for p in ev.actor), (p.code for p in ev.recipient), (
            DatedEvent(e.event, frozenset(p.code for p in e.actor), frozenset(p.code for p in e.recipient),
                       e.date) for e in earlier))
        ev.date = context_date(clause_tense(trigger), ev.text, base, previous=previous,
                               coreferent=coreferent)

    def _place(self, ev: Event, sent: Span, mentions: Sequence[object], events: Sequence[Event] = ()) -> None:
        """The event's place (see :func:`detente.places.locate_event`), else, for an event on the
        same day as the event before it and sharing an actor with it, that event's place."""
        if ev.place is not None:
            return
        start = ev.sent_start
        spans: dict[tuple[int, int], str] = {}
        for e in sent.ents:
            if e.label_ in PLACE_LABELS:
                spans[(e.start_char - start, e.end_char - start)] = e.text
        for m in mentions:
            if m.is_place and m.sentence_index == ev.sentence_index:  # type: ignore[attr-defined]
                spans[(m.char_start - start, m.char_end - start)] = m.text  # type: ignore[attr-defined]
        # participants are places only when the sentence says so ("Tehran said" vs "visited Tehran")
        taken = {(p.char_start - start, p.char_end - start) for p in [*ev.actor, *ev.recipient, *ev.mediator]
                 if p.char_start is not None and p.char_end is not None}
        gazetteer = self.resources.gazetteer
        for s, e in taken:
            # only a participant named as a place ("Tehran", "Iran"), never "Imran Khan" or "the
            # Foreign Office": those would cost a fuzzy gazetteer search each and never match
            if (s, e) not in spans and 0 <= s < e <= len(ev.text) and \
                    gazetteer.is_place_name(ev.text[s:e]):
                spans[(s, e)] = ev.text[s:e]
        cands = [(s, e, t) for (s, e), t in sorted(spans.items())]
        hints = [p.code for p in [*ev.actor, *ev.recipient] if p.code]
        trigger = next((t for t in sent if t.idx >= ev.trigger_start), sent.root)
        ev.place = locate_event(ev.text, start, cands, gazetteer, hints, participants=taken,
                                attachment=parse_attachment(sent, trigger)) if cands else None
        if ev.place is None:
            earlier = [e for e in events if (e.sentence_index, e.trigger_start) < (ev.sentence_index,
                                                                                    ev.trigger_start)]
            ev.place = same_scene_place(ev, earlier[-1] if earlier else None)

    def _roles_on_the_day(self, ev: Event, base: DateValue | None) -> None:
        """Recode dictionary actors with the role they held on the event's date."""
        day: dt.date | None = None
        if ev.date is not None:
            day = ev.date.start_date
        elif base is not None:
            day = base.start_date
        for ref in [*ev.actor, *ev.recipient, *ev.mediator]:
            entry = self.resources.dictionary.get(ref.identifier) if ref.identifier else None
            if entry is None or day is None:
                continue
            code, sector = entry.code_on(day)
            if code:
                ref.code, ref.sector = code, sector
