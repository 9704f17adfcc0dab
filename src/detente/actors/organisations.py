"""Organisations named by a country word and a name: "Saudi Aramco", "Iranian Red Crescent".

An organisation the dictionary does not know becomes its own actor (``org:<slug>``) of that country;
:func:`portfolio_or_pact` keeps office portfolios ("Australia's Pacific minister") and pacts' names
out of it.
"""

from __future__ import annotations

from spacy.tokens import Doc

from detente.actors.coref import DocState
from detente.actors.normalise import TitleTable, normalise_name, slug
from detente.actors.segments import Seg, char_span
from detente.model import Mention

__all__ = ["organisation_mention", "portfolio_or_pact"]


def organisation_mention(doc: Doc, head: Seg, mods: list[Seg], s_index: int, state: DocState,
                 titles: TitleTable) -> Mention | None:
    """A country word and an organisation's name: "Saudi Aramco", "Iranian Red Crescent".

    The organisation is its own actor (``org:<slug>``) of that country, with the sector its name
    gives (``organisation_words`` in titles.yaml), not the country itself.
    """
    if len(mods) != 1 or mods[0].kind != "country" or mods[0].hit is None or \
            any(t.tag_ != "POS" for t in doc[mods[0].end:head.start]):
        return None  # "Saudi Aramco", "South Korea's National Intelligence Service"
    hit = mods[0].hit
    if hit.kind == "place" or doc[mods[0].end - 1].tag_ == "POS" or doc[head.start].tag_ == "POS":
        return None
    span = doc[mods[0].start:head.end]
    labels = {t.ent_type_ for t in doc[head.start:head.end] if t.ent_type_}
    sector = titles.org_sector(span.text)
    if labels & {"PERSON", "GPE", "LOC", "NORP"} and "ORG" not in labels:
        return None
    if "ORG" not in labels and sector is None:
        return None
    if normalise_name(doc[head.start:head.end].text) in titles.commodities | titles.equipment:
        return None  # "Russian LNG", "Israeli Arrow": a good or a weapon, not a body
    if any(t.like_num or any(c.isdigit() for c in t.text) for t in doc[head.start:head.end]) or \
            normalise_name(doc[head.start].text) in titles.event_names:
        return None  # "Thai F-16 jets", "India's Operation Brahma": equipment and operations
    if portfolio_or_pact(doc, head.end, titles):
        return None
    if sector is None and not titles.is_organisation_head(doc[head.end - 1].text):
        last = doc[head.end - 1].lower_
        if last.endswith(titles.abstract_endings):
            return None  # "Indian Aggression", "Iranian Retaliation": a noun phrase, not a body
    a, b, text = char_span(doc, mods[0].start, head.end)
    name = " ".join(text.split())
    return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                   actor_id=f"org:{slug(name)}", name=name, code=hit.code, sector=sector,
                   kind="organisation", is_place=False, how="organisation")

def portfolio_or_pact(doc: Doc, end: int, titles: TitleTable) -> bool:
    """Does the name ending at ``end`` qualify an office ("Australia's Pacific minister") or run
    on into a pact's name ("the India-U.S. Comprehensive Global and Strategic Partnership")?"""
    sent_end = doc[end - 1].sent.end
    if end >= sent_end:
        return False
    title = titles.lookup(doc[end].text)
    if title is not None and title.person and doc[end].is_lower:
        return True
    for tok in doc[end:min(end + 4, sent_end)]:
        if tok.text[:1].isupper() and normalise_name(tok.text) in titles.document_words:
            return True
        if not (tok.lower_ in ("and", "&") or tok.text[:1].isupper()):
            return False
    return False
