"""What event extraction finds: a participant (``Party``), a reading of a trigger with its
parties (``Found``), the index of the article's mentions by token (``Mentions``), and the small
operations on lists of parties (unique, dyads resolved, symmetric split, the exported ActorRef)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from detente.events.lexicon import Trigger
from detente.events.modality import Modality
from detente.model import ActorRef, Mention
from detente.nlp import line_is_boundary


@dataclass
class Party:
    """A participant found in the parse: the mention, whether it is a place, how it was found."""

    mention: Mention
    place: bool = False
    speaker: bool = False
    demoted: bool = False  # a place mention used as an actor: no sector, no identifier
    dyad: int = 0  # a candidate for "both countries" (2) or "his counterpart" (1); see resolve


@dataclass
class Found:
    trigger: Trigger
    token: Token
    actor: list[Party] = field(default_factory=list)
    recipient: list[Party] = field(default_factory=list)
    mediator: list[Party] = field(default_factory=list)
    mode: str | None = None
    confidence: float = 0.9
    passive: bool = False
    modality: Modality | None = None  # set for a statement of intent (see _commitments): it happened


class Mentions:
    """Token index -> mention (actors and places kept apart), and the article's actors in order."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention]) -> None:
        self.actor: dict[int, Mention] = {}
        self.place: dict[int, Mention] = {}
        self.sent_of: dict[int, int] = {}
        for si, sent in enumerate(doc.sents):
            for tok in sent:
                self.sent_of[tok.i] = si
        # (first token, sentence index, mention) of every mention with a code, in text order
        self.ordered: list[tuple[int, int, Mention]] = []
        self.article_counts: Counter[str] = Counter()
        self.example: dict[str, Mention] = {}  # code -> a mention naming it (a country one if any)
        self.mediators: set[str] = set()  # codes named as third parties so far ("mediated by X")
        for m in mentions:
            span = doc.char_span(m.char_start, m.char_end, alignment_mode="expand")
            if span is None:
                continue
            # "NEW DELHI, May 10 (Agency) —": a dateline names where the report was filed, no actor
            opens_line = m.char_start == 0 or line_is_boundary(doc, max(0, m.char_start - 1), m.char_start)
            dateline = m.text.isupper() and len(m.text) > 3 and opens_line
            target = self.place if m.is_place or dateline else self.actor
            for tok in span:
                target.setdefault(tok.i, m)
            if m.code and m.country_how is None:  # a generic actor's country is derived, not named
                self.ordered.append((span.start, self.sent_of.get(span.start, 0), m))
                self.article_counts[m.code] += 1
                known = self.example.get(m.code)
                if known is None or (m.kind == "country" and known.kind != "country"):
                    self.example[m.code] = m
        self.ordered.sort(key=lambda x: x[0])

    def ranked_codes(self, si: int) -> list[str]:
        """Codes most likely meant by "both countries" in sentence ``si``: those named in it and
        the two sentences before, then the article's most frequent ones."""
        near: Counter[str] = Counter(m.code for _, k, m in self.ordered if si - 2 <= k <= si and m.code)
        codes = [c for c in self.article_counts if near[c] or self.article_counts[c] >= 2]
        top = max(self.article_counts.values(), default=1)
        # nearby mentions count, but the article's main parties weigh in: a country named once
        # in passing ("while India reaffirmed ...") does not make "both nations" its pair
        # a third party named as such before ("talks mediated by the United States") is no side
        return sorted(codes, key=lambda c: (c in self.mediators,
                                            -(near[c] + 2 * self.article_counts[c] / top),
                                            -self.article_counts[c]))

    def at(self, tok: Token, allow_place: bool) -> Party | None:
        m = self.actor.get(tok.i)
        if m is not None:
            return Party(m)
        if allow_place:
            p = self.place.get(tok.i)
            if p is not None and p.code:
                return Party(p, place=True)
        return None


def as_modifier(p: Party) -> Party:
    """A country flagged as a place but modifying an event noun ("in a US strike") is the actor."""
    return Party(p.mention, place=False, speaker=p.speaker, demoted=True) if p.place else p


def party_key(p: Party) -> tuple[str | None, str | None]:
    return (p.mention.code, p.mention.actor_id or p.mention.name)


def unique(parties: Iterable[Party]) -> list[Party]:
    seen: set[tuple[str | None, str | None]] = set()
    out: list[Party] = []
    for p in parties:
        k = party_key(p)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def resolve(parties: Sequence[Party], exclude: Iterable[str | None] = ()) -> list[Party]:
    """Dyad candidates ("both countries", "his counterpart") replaced by the codes they stand for:
    the best-ranked ones not named otherwise in the list and not in ``exclude`` (the other side)."""
    dyads = [p for p in parties if p.dyad]
    if not dyads:
        return list(parties)
    real = [p for p in parties if not p.dyad]
    taken = {p.mention.code for p in real} | set(exclude)
    want = max(p.dyad for p in dyads)
    picked: list[Party] = []
    for p in dyads:
        if p.mention.code not in taken and len(picked) < want:
            taken.add(p.mention.code)
            picked.append(p)
    return real + picked


def split_symmetric(f: Found) -> None:
    """"X and Y met": the first subject (or the quoting speaker) acts, the others receive."""
    if f.trigger.symmetric and not f.recipient and len(f.actor) > 1:
        speakers = [p for p in f.actor if p.speaker]
        first = speakers[0] if speakers else f.actor[0]
        f.recipient = [p for p in f.actor if p is not first]
        f.actor = [first]
        f.confidence -= 0.05


def actor_ref(p: Party) -> ActorRef:
    m = p.mention
    plain = p.place or p.demoted
    return ActorRef(code=m.code, sector=None if plain else m.sector, entity_text=m.text, name=m.name,
                    identifier=None if plain else m.actor_id,
                    char_start=None if m.how == "no-recipient" else m.char_start,
                    char_end=None if m.how == "no-recipient" else m.char_end, country_how=m.country_how)
