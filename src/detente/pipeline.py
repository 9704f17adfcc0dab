"""The article pipeline: nlp -> actors -> events -> dates -> places -> coding, one article at a time.

:class:`Resources` holds everything loaded once (spaCy, dictionaries, lexicons, gazetteer) and is
passed explicitly; nothing is configured through module globals. :meth:`Pipeline.process` turns an
:class:`~detente.model.Article` into a :class:`~detente.model.ProcessedArticle`, which the store
writes in one transaction. Worker processes each build their own :class:`Pipeline`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby, islice, pairwise
from pathlib import Path
from typing import TypeVar

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
from detente.dates.parse import parse_iso_value
from detente.events.code import Coder
from detente.events.extract import EventExtractor
from detente.events.lexicon import Lexicon
from detente.loadcache import cached
from detente.model import ActorEntry, Article, DateValue, Event, ProcessedArticle, Sentence
from detente.nlp import DEFAULT_MODEL, PART_CHARS, doc_text, load_nlp, text_parts
from detente.places import (
    Gazetteer,
    dateline_scene,
    document_focus,
    locate_event,
    missed_place_names,
    same_scene_place,
)

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
    part_chars: int = PART_CHARS  # a longer article is parsed in parts of at most this many characters


def _actor_tables() -> tuple[ActorDictionary, CountryTable, ActorResolver]:
    """The bundled actor dictionary, the country table and the resolver's index over them."""
    dictionary, countries = ActorDictionary.load(), CountryTable.load()
    return dictionary, countries, ActorResolver(dictionary, countries)


@dataclass
class Resources:
    nlp: Language
    dictionary: ActorDictionary
    countries: CountryTable
    lexicon: Lexicon
    coder: Coder
    gazetteer: Gazetteer
    resolver: ActorResolver | None = None  # built from dictionary and countries when None

    @classmethod
    def load(cls, options: PipelineOptions = PipelineOptions()) -> Resources:
        """Load everything; the data tables come from the disk cache when it holds them
        (:mod:`detente.loadcache`: keyed by the content of the files they are built from)."""
        actor_files = [Path(p) for p in options.actor_files]
        lexicon_files = [Path(p) for p in options.lexicon_files]
        place_files = [Path(p) for p in options.place_files]
        # a user's actor file is read each time: its warnings are for the user to see
        resolver: ActorResolver | None = None
        if actor_files:
            dictionary, countries = ActorDictionary.load(actor_files), CountryTable.load()
        else:  # cached together, so that the resolver's index refers to the same tables
            dictionary, countries, resolver = cached("actors", _actor_tables)
        return cls(
            nlp=load_nlp(options.model),
            dictionary=dictionary,
            countries=countries,
            resolver=resolver,
            lexicon=cached("lexicon", lambda: Lexicon.load(lexicon_files), lexicon_files),
            coder=cached("coder", Coder.load),
            gazetteer=cached("gazetteer", lambda: Gazetteer.load(place_files), place_files),
        )


@dataclass
class Pipeline:
    resources: Resources
    options: PipelineOptions = field(default_factory=PipelineOptions)

    def __post_init__(self) -> None:
        r = self.resources
        self.resolver = r.resolver if r.resolver is not None and r.resolver.dictionary is r.dictionary \
            and r.resolver.countries is r.countries else ActorResolver(r.dictionary, r.countries)
        self.resolver.cues.places = r.gazetteer  # names the gazetteer knows are places, not people
        self.extractor = EventExtractor(r.lexicon, r.coder)

    @classmethod
    def load(cls, options: PipelineOptions = PipelineOptions()) -> Pipeline:
        return cls(Resources.load(options), options)

    # -- public --------------------------------------------------------------------------------
    def process(self, article: Article, doc: Doc | None = None) -> ProcessedArticle:
        """Run every stage on one article (parsing it unless ``doc`` is given); an article over
        ``options.part_chars`` characters is processed in parts (:meth:`process_in_parts`)."""
        if doc is not None:
            return self._stages(article, doc)
        if len(article.text) > self.options.part_chars:
            return self.process_in_parts(article)
        with self.resources.nlp.memory_zone():
            return self._stages(article, self.resources.nlp(article.text))

    def process_many(self, articles: Iterable[Article]) -> Iterator[ProcessedArticle]:
        """Process articles in order, parsing them in batches with ``nlp.pipe``.

        Each batch runs in a spaCy memory zone: the strings a batch adds to the vocabulary (every
        new name in the news) are freed after it, so a long ingest does not grow without bound.
        Nothing that leaves a stage refers to spaCy objects. Long articles are processed in parts.
        """
        nlp = self.resources.nlp
        size = self.options.batch_size
        limit = self.options.part_chars
        it = iter(articles)
        while chunk := list(islice(it, size * 4)):
            for long_, run in groupby(chunk, key=lambda a: len(a.text) > limit):
                if long_:
                    yield from (self.process_in_parts(a) for a in run)
                    continue
                with nlp.memory_zone():
                    pairs = ((a.text, a) for a in run)
                    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=size):
                        yield self._stages(article, doc)

    def process_in_parts(self, article: Article) -> ProcessedArticle:
        """Process a long article in parts of at most ``options.part_chars`` characters, split at
        paragraph boundaries (:func:`detente.nlp.text_parts`), so that memory and time per
        article stay bounded (spaCy's parser needs memory in proportion to a text's length, and
        some stages compare each event with those before it). Each part is parsed alone in a
        memory zone; its offsets and sentence numbers are moved to the whole article's, and its
        results are kept packed until the last part is done (see below). Every part
        dates its events against the whole article's reference date; context (a surname met in an
        earlier part, the previous event's date) does not cross parts."""
        nlp = self.resources.nlp
        base = article_reference_date(article.published, article.text)
        # each part's results are kept packed (pickled: one compact block) while the next parts
        # are parsed, and unpacked at the end: held as objects, they were scattered among each
        # parse's freed memory, which the process could then not give back or reuse whole
        packed: list[bytes] = []
        sentences = 0
        for start, end in text_parts(article.text, self.options.part_chars):
            part = dataclasses.replace(article, text=article.text[start:end], doc_id=article.doc_id)
            with nlp.memory_zone():
                done = self._stages(part, nlp(part.text), base=base, base_known=True)
            _shift(done, start, sentences)
            sentences += len(done.sentences)
            packed.append(pickle.dumps((done.sentences, done.mentions, done.events),
                                       protocol=pickle.HIGHEST_PROTOCOL))
            del done
        whole = ProcessedArticle(article=article)
        shared: dict[object, object] = {}  # one copy of each repeated value for the whole article
        packed.reverse()
        while packed:
            done = ProcessedArticle(article, *pickle.loads(packed.pop()))
            _share_values(done, shared)
            whole.sentences.extend(done.sentences)
            whole.mentions.extend(done.mentions)
            whole.events.extend(done.events)
        return whole

    def process_text(self, text: str, published: str | None = None, path: str = "<text>") -> \
            ProcessedArticle:
        """Convenience for the Python user and tests: a bare text with an optional ISO date."""
        pub = None
        if published:
            pub = parse_iso_value(published, how="given")
            if pub is None:
                raise ValueError(f"published {published!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
        return self.process(Article(text=text, path=path, published=pub,
                                    found={"published": "given"} if pub else {}))

    def actors_seen(self, processed: ProcessedArticle) -> list[ActorEntry]:
        ids = {m.actor_id for m in processed.mentions if m.actor_id}
        return [e for i in ids if (e := self.resources.dictionary.get(i)) is not None]

    # -- stages --------------------------------------------------------------------------------
    def _stages(self, article: Article, doc: Doc, *, base: DateValue | None = None,
                base_known: bool = False) -> ProcessedArticle:
        """The stages after the parse; ``base`` is the reference date when ``base_known`` (else it
        is found from the article)."""
        sents = list(doc.sents)
        # each sentence's entities, found once (Span.ents walks every entity of the document)
        ents: list[list[Span]] = [[] for _ in sents]
        starts = [s.start for s in sents]
        for ent in doc.ents:
            i = bisect_right(starts, ent.start) - 1
            if i >= 0 and ent.end <= sents[i].end:  # as Span.ents: entities inside the sentence
                ents[i].append(ent)
        sentences = [Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(sents)]
        mentions = self.resolver.find_mentions(doc, article)
        title_end = _headline_end(article)
        # a headline restates the body in the present tense and without a date: code the body
        events = [ev for ev in self.extractor.extract(doc, article, mentions)
                  if ev.sent_start >= title_end]
        if not base_known:
            base = article_reference_date(article.published, article.text)
        focus = document_focus(mentions, self.resources.gazetteer, article.found.get("dateline_place"))
        # the events before each one: a prefix of the list when it is in text order (it is, as the
        # extractor gives it), so that a long part costs no quadratic scan; each event's summary
        # for coreference is made once, when it is done
        keys = [(e.sentence_index, e.trigger_start) for e in events]
        in_order = all(a <= b for a, b in pairwise(keys))
        done: list[DatedEvent] = []
        for i, ev in enumerate(events):
            sent = sents[ev.sentence_index]
            earlier = events[:bisect_left(keys, keys[i])] if in_order else None
            summaries = done[:len(earlier)] if earlier is not None else None
            self._date(ev, sent, base, events, ents[ev.sentence_index], earlier=earlier, dated=summaries)
            self._place(ev, sent, mentions, events, focus, ents[ev.sentence_index], earlier=earlier,
                        dateline=article.found.get("dateline_place"), published=article.published)
            settle_countries(ev)  # generic actors: the event's place before the focus country
            self._roles_on_the_day(ev, base)
            self.resources.coder.code(ev)
            ev.make_id()
            if in_order:
                done.append(_dated(ev))
        return ProcessedArticle(article=article, sentences=sentences, mentions=mentions, events=events)

    def _date(self, ev: Event, sent: Span, base: DateValue | None, events: Sequence[Event] = (),
              sent_ents: Sequence[Span] | None = None, *, earlier: Sequence[Event] | None = None,
              dated: Sequence[DatedEvent] | None = None) -> None:
        """The event's date: its sentence's own (the parse picking between several), else one from
        the context (an open quotation, the previous event, an earlier mention, the time of
        writing); see :mod:`detente.dates`. ``events`` are the article's events in text order,
        those before ``ev`` already dated; ``earlier`` (those before ``ev``) and ``dated`` (their
        :func:`_dated` summaries) are found from ``events`` when not given."""
        if ev.date is not None:
            return
        start = ev.sent_start
        if earlier is None:
            earlier = _before(events, ev)
        prefix = paragraph_before(doc_text(sent.doc), start)
        previous = previous_date(earlier[-1].trigger_start if earlier else None,
                                 earlier[-1].date if earlier else None, prefix, start - len(prefix), base)
        trigger = next((t for t in sent if t.idx >= ev.trigger_start), sent.root)
        ents = [(e.start_char - start, e.end_char - start, e.text)
                for e in (sent.ents if sent_ents is None else sent_ents) if e.label_ == "DATE"]
        ev.date = date_for_event(ev.text, ev.trigger_start - start, base, ents, anchor=previous,
                                 attachment=parse_attachment(sent, trigger),
                                 quote_day=open_quote_day(prefix, base))
        if ev.date is not None:
            return
        coreferent = coreferent_date(ev.event, (p.code for p in ev.actor), (p.code for p in ev.recipient),
                                     dated if dated is not None else [_dated(e) for e in earlier])
        ev.date = context_date(clause_tense(trigger), ev.text, base, previous=previous,
                               coreferent=coreferent, event=ev.event)

    def _place(self, ev: Event, sent: Span, mentions: Sequence[object], events: Sequence[Event] = (),
               focus: Sequence[str] = (), sent_ents: Sequence[Span] | None = None, *,
               earlier: Sequence[Event] | None = None, dateline: str | None = None,
               published: DateValue | None = None) -> None:
        """The event's place (see :func:`detente.places.locate_event`; the participants' countries
        and the document's ``focus`` countries weigh the candidates), else, for an event on the
        same day as the event before it and sharing an actor with it, that event's place, else
        for a physical action at home the city of a wire ``dateline``
        (:func:`detente.places.dateline_scene`)."""
        if ev.place is not None:
            return
        start = ev.sent_start
        spans: dict[tuple[int, int], str] = {}
        for ent in sent.ents if sent_ents is None else sent_ents:
            if ent.label_ in PLACE_LABELS:
                spans[(ent.start_char - start, ent.end_char - start)] = ent.text
        for m in mentions:
            if m.is_place and m.sentence_index == ev.sentence_index:  # type: ignore[attr-defined]
                spans[(m.char_start - start, m.char_end - start)] = m.text  # type: ignore[attr-defined]
        gazetteer = self.resources.gazetteer
        # names after "in", "near", "shelled" that the recogniser missed: candidates of less weight
        missed = {k: v for k, v in missed_place_names(ev.text, start, ev.sentence_index, mentions,
                                                      gazetteer).items()
                  if not any(a < k[1] and k[0] < b for a, b in spans)}
        spans.update(missed)
        # participants are places only when the sentence says so ("Tehran said" vs "visited Tehran")
        taken = {(p.char_start - start, p.char_end - start) for p in [*ev.actor, *ev.recipient, *ev.mediator]
                 if p.char_start is not None and p.char_end is not None}
        for s, e in taken:
            # only a participant named as a place ("Tehran", "Iran"), never "Imran Khan" or "the
            # Foreign Office": those would cost a fuzzy gazetteer search each and never match
            if (s, e) not in spans and 0 <= s < e <= len(ev.text) and \
                    gazetteer.is_place_name(ev.text[s:e]):
                spans[(s, e)] = ev.text[s:e]
        cands = [(s, e, t) for (s, e), t in sorted(spans.items())]
        # a participant named by a city ("Tripoli" read as Libya's capital) is no evidence for
        # where that city is: only the other participants' countries and the focus weigh
        hints = [p.code for p in [*ev.actor, *ev.recipient] if p.code
                 and not gazetteer.is_city_name(p.entity_text)] + list(focus)
        trigger = next((t for t in sent if t.idx >= ev.trigger_start), sent.root)
        ev.place = locate_event(ev.text, start, cands, gazetteer, hints, participants=taken,
                                attachment=parse_attachment(sent, trigger), weak=missed) if cands else None
        if ev.place is None:
            if earlier is None:
                earlier = _before(events, ev)
            ev.place = same_scene_place(ev, earlier[-1] if earlier else None)
        if ev.place is None:
            ev.place = dateline_scene(ev, dateline, gazetteer, focus, published)

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


def _before(events: Sequence[Event], ev: Event) -> list[Event]:
    """The events of ``events`` before ``ev`` in the text, in list order."""
    key = (ev.sentence_index, ev.trigger_start)
    return [e for e in events if (e.sentence_index, e.trigger_start) < key]


def _dated(ev: Event) -> DatedEvent:
    """What :func:`detente.dates.coreferent_date` reads of an earlier event."""
    return DatedEvent(ev.event, frozenset(p.code for p in ev.actor), frozenset(p.code for p in ev.recipient),
                      ev.date)


def _share_values(done: ProcessedArticle, shared: dict[object, object]) -> None:
    """Let a part's results share one copy of each value they repeat: an event's sentence (text,
    offsets and number) is its Sentence's; names, codes, kinds, triggers and dates (immutable)
    are held once per article, not once per mention. A long article's results are all kept
    until its one write, and repeated strings were about a third of them."""
    def one(value: _V) -> _V:
        return value if value is None else shared.setdefault(value, value)  # type: ignore[return-value]

    sents = {s.index: s for s in done.sentences}
    for m in done.mentions:
        if (sent := sents.get(m.sentence_index)) is not None:
            m.sentence_index = sent.index
        m.doc_id, m.text, m.name, m.kind, m.how = one(m.doc_id), one(m.text), one(m.name), one(m.kind), \
            one(m.how)
        m.actor_id, m.code, m.sector, m.country_how = one(m.actor_id), one(m.code), one(m.sector), \
            one(m.country_how)
    for ev in done.events:
        if (sent := sents.get(ev.sentence_index)) is not None:
            ev.sentence_index = sent.index
            if (sent.char_start, sent.char_end, sent.text) == (ev.sent_start, ev.sent_end, ev.text):
                ev.sent_start, ev.sent_end, ev.text = sent.char_start, sent.char_end, sent.text
        ev.doc_id, ev.event, ev.trigger, ev.mode = one(ev.doc_id), one(ev.event), one(ev.trigger), \
            one(ev.mode)
        ev.modality, ev.cameo, ev.date = one(ev.modality), one(ev.cameo), one(ev.date)
        ev.context = [one(c) for c in ev.context]
        for ref in [*ev.actor, *ev.recipient, *ev.mediator]:
            ref.code, ref.sector, ref.entity_text = one(ref.code), one(ref.sector), one(ref.entity_text)
            ref.name, ref.identifier, ref.country_how = one(ref.name), one(ref.identifier), \
                one(ref.country_how)
        if ev.place is not None:
            ev.place.name, ev.place.country_code = one(ev.place.name), one(ev.place.country_code)
            ev.place.province, ev.place.feature = one(ev.place.province), one(ev.place.feature)


_V = TypeVar("_V")


def _shift(done: ProcessedArticle, offset: int, sentences_before: int) -> None:
    """Move a part's character offsets by ``offset`` and its sentence numbers by
    ``sentences_before``, so that they index the whole article; event ids are made again."""
    for s in done.sentences:
        s.index += sentences_before
        s.char_start += offset
        s.char_end += offset
    for m in done.mentions:
        m.sentence_index += sentences_before
        m.char_start += offset
        m.char_end += offset
    for ev in done.events:
        ev.sentence_index += sentences_before
        ev.sent_start += offset
        ev.sent_end += offset
        ev.trigger_start += offset
        ev.trigger_end += offset
        for ref in [*ev.actor, *ev.recipient, *ev.mediator]:
            if ref.char_start is not None:
                ref.char_start += offset
            if ref.char_end is not None:
                ref.char_end += offset
        if ev.place is not None and ev.place.char_start is not None and ev.place.char_end is not None:
            ev.place.char_start += offset
            ev.place.char_end += offset
        ev.make_id()
