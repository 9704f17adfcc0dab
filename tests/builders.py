"""Hand-built articles and events for tests that exercise the store and the CLI without spaCy."""

from __future__ import annotations

from typing import Any

from detente.model import ActorRef, Article, DateValue, Event, Mention, Place, ProcessedArticle, Sentence


def ref(code: str, name: str, sector: str = "GOV", identifier: str | None = None) -> ActorRef:
    return ActorRef(code=code, sector=sector, entity_text=name, name=name,
                    identifier=identifier or code)


def article(text: str, published: str | None = "2024-01-20", path: str = "a.txt",
            title: str | None = "A title") -> Article:
    pub = DateValue(published, ("year", "month", "day")[published.count("-")]) if published else None
    return Article(text=text, path=path, title=title, published=pub,
                   found={"published": "date-line"} if pub else {})


def event(art: Article, sentence: str, kind: str, actor: list[ActorRef], recipient: list[ActorRef],
          trigger: str, date: str | None, *, mediator: list[ActorRef] | None = None,
          goldstein: float = 1.0, quad: int = 1, place: Place | None = None,
          negated: bool = False, index: int | None = None) -> Event:
    start = art.text.index(sentence)
    t0 = art.text.index(trigger, start)
    sentences = split(art)
    idx = index if index is not None else next(s.index for s in sentences if s.char_start <= start <
                                                  s.char_end)
    dv = DateValue(date, ("year", "month", "day")[date.count("-")]) if date else None
    ev = Event(doc_id=art.doc_id, sentence_index=idx, sent_start=start, sent_end=start + len(sentence),
               text=sentence, event=kind, actor=actor, recipient=recipient, trigger=trigger,
               trigger_start=t0, trigger_end=t0 + len(trigger), mediator=mediator or [], date=dv,
               place=place, goldstein=goldstein, quad_code=quad, cameo="040", confidence=0.8,
               negated=negated)
    ev.make_id()
    return ev


def split(art: Article) -> list[Sentence]:
    out, pos = [], 0
    for i, part in enumerate(art.text.split(". ")):
        start = art.text.index(part, pos)
        out.append(Sentence(i, start, start + len(part), part))
        pos = start + len(part)
    return out


def mention(art: Article, text: str, actor_id: str, code: str, name: str, sector: str = "GOV",
            kind: str = "country", is_place: bool = False) -> Mention:
    start = art.text.index(text)
    idx = next(s.index for s in split(art) if s.char_start <= start < s.char_end)
    return Mention(doc_id=art.doc_id, sentence_index=idx, char_start=start, char_end=start + len(text),
                   text=text, actor_id=actor_id, name=name, code=code, sector=sector, kind=kind,
                   is_place=is_place, how="test")


def processed(art: Article, events: list[Event], mentions: list[Mention] | None = None) -> \
        ProcessedArticle:
    return ProcessedArticle(article=art, sentences=split(art), mentions=mentions or [], events=events)


def happened(pipeline: Any, text: str, published: str | None = None) -> list[Event]:
    """The events of ``text`` that are reported as having happened (neither negated nor
    hypothetical), through the whole pipeline."""
    return [e for e in pipeline.process_text(text, published).events if not (e.negated or e.hypothetical)]
