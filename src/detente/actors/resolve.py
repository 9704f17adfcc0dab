"""Find the actors an article mentions: dictionary people and groups, countries, titled strangers.

One pass per sentence, in three steps:

1. **Scan** the tokens left to right for the longest form known to the dictionary (exact
   :func:`compact_key`), the country table, a unique :func:`phonetic_key` of a dictionary entry, or
   the title table, in that order of preference at equal length. spaCy's entity labels are not
   trusted for this (it tags "Bajwa" and "Pompeo" as places).
2. **Names**: runs of proper-noun tokens the scan left alone ("Shahram Irani", "Khan").
3. **Chains**: a country, titles and a head name glued together ("Iranian Naval Chief Rear Admiral
   Shahram Irani", "Pakistan's caretaker foreign minister") become one mention: the head decides who
   it is, the modifiers give country and sector. A surname resolves to the most recent earlier full
   mention with that surname in the article (never by phonetic matching); a capital right after
   "in"/"to"/"from"/... is a place, elsewhere it is the government.

This module is the orchestrator; the steps live beside it: :mod:`~detente.actors.credits` (text that
names no actor), :mod:`~detente.actors.scan` (candidate segments and chains),
:mod:`~detente.actors.nameindex` (matching forms against the dictionary),
:mod:`~detente.actors.offices` (dated office holders), :mod:`~detente.actors.coref` (short forms
within the document and definite descriptions), :mod:`~detente.actors.cues` (no person, or a place,
by context) and :mod:`~detente.actors.organisations` (unknown organisations of a country).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from detente.actors.appositions import apposition
from detente.actors.coref import DocState, Known, description_mention
from detente.actors.countries import CountryHit, CountryTable
from detente.actors.credits import author_keys, headline_ranges, in_headline, is_credit, skipped_ranges
from detente.actors.cues import Cues, dateline
from detente.actors.dictionary import ActorDictionary
from detente.actors.generic import add_generic
from detente.actors.nameindex import NameIndex
from detente.actors.normalise import Title, TitleTable, compact_key, normalise_name, slug
from detente.actors.offices import Offices, code_for
from detente.actors.organisations import organisation_mention
from detente.actors.placenames import PlaceNames
from detente.actors.scan import MAX_SPAN, Scanner, not_a_name
from detente.actors.segments import NAME_JOINERS, Seg, TitleInfo, char_span, title_sector
from detente.actors.strangers import focus_for_titled, formerly, person_slug
from detente.model import ActorEntry, Article, Mention
from detente.nlp import doc_text

__all__ = ["MAX_SPAN", "ActorResolver", "CountryHit", "CountryTable", "GenericHook", "GenericPhrase",
           "TitleTable"]

_NON_PERSON_LABELS = frozenset({"ORG", "GPE", "FAC", "LOC", "NORP", "EVENT", "LAW", "PRODUCT",
                                "WORK_OF_ART", "LANGUAGE"})


@dataclass(frozen=True)
class GenericPhrase:
    """A collective phrase with no name ("militants", "Pakistani police"), offered to a generic hook."""

    doc_id: str
    sentence_index: int
    char_start: int
    char_end: int
    text: str
    title: str  # the collective noun as the title table writes it ("militants", "police")
    sector: str | None
    code: str | None  # the country the phrase names, if any


GenericHook = Callable[[GenericPhrase], "Mention | None"]


class ActorResolver:
    """Resolves the actor mentions of a parsed article against a dictionary and the country table.

    ``generic``: an optional hook for collective actors (police, protesters, militants): it gets each
    such phrase and returns the mention to emit instead of the default one, or None to keep it.
    """

    def __init__(self, dictionary: ActorDictionary, countries: CountryTable,
                 titles: TitleTable | None = None, generic: GenericHook | None = None,
                 places: PlaceNames | None = None) -> None:
        self.dictionary = dictionary
        self.countries = countries
        self.titles = titles if titles is not None else TitleTable.load()
        self.generic = generic
        self._piece_cache: dict[str, str] = {}
        self.index = NameIndex(dictionary, self.titles)
        self.scanner = Scanner(self.index, countries, self.titles)
        self.offices = Offices(self.index, self.titles)
        self.cues = Cues(self.titles, countries, places)

    def _piece(self, token: Token) -> str:
        if token.tag_ == "POS" or token.is_space:
            return ""
        text = token.text
        piece = self._piece_cache.get(text)
        if piece is None:
            piece = self._piece_cache[text] = compact_key(text)
        return piece

    # -- public ------------------------------------------------------------------------------------
    def find_mentions(self, doc: Doc, article: Article, sentence_offset_base: int = 0) -> list[Mention]:
        """Every actor mention in ``doc`` (the spaCy parse of ``article.text``), in text order."""
        day = article.published.start_date if article.published is not None else None
        state = DocState(day=day, doc_id=article.doc_id)
        pieces = [self._piece(t) for t in doc]
        sent_of = [0] * len(doc)
        skipped = skipped_ranges(doc_text(doc), self.titles)
        headlines = headline_ranges(doc_text(doc), self.titles.particles)
        authors = author_keys(article.author)
        segs: list[Seg] = []
        for s_index, sent in enumerate(doc.sents):
            for k in range(sent.start, sent.end):
                sent_of[k] = s_index + sentence_offset_base
            found = self.scanner.honorifics_inside_names(
                doc, self.scanner.scan(doc, sent.start, sent.end, pieces))
            covered = [False] * (sent.end - sent.start)
            for seg in found:
                for k in range(seg.start, seg.end):
                    covered[k - sent.start] = True
            found.extend(self.scanner.name_runs(doc, sent.start, sent.end, covered))
            found = self.scanner.surname_aliases(doc, self.scanner.title_surnames(
                doc, self.scanner.country_given_names(doc, found)))
            found = [seg for seg in found if not is_credit(doc, seg, skipped, authors)
                     and not (seg.kind == "name" and (in_headline(doc, seg, headlines)
                                                      or not_a_name(doc, seg)))]
            segs.extend(sorted(found, key=lambda s: s.start))
        state.people = frozenset(seg.entry.id for seg in segs if seg.kind == "dict" and seg.entry is not None
                                 and seg.entry.kind == "person" and seg.how != "phonetic")
        # chains may cross a sentence boundary spaCy put inside a title ("Chief of Staff | General X")
        chains = self.scanner.chains(doc, segs)
        # generic actors ("police", "protesters") with a sector and a country: actors/generic.py
        return add_generic(doc, article, focus_for_titled(self._emit(doc, chains, sent_of, state)))

    def _emit(self, doc: Doc, chains: list[list[Seg]], sent_of: list[int], state: DocState) -> list[Mention]:
        emitted: list[list[Mention]] = [[] for _ in chains]
        consumed: set[int] = set()
        for c, chain in enumerate(chains):
            if c in consumed:
                continue
            # a surname met earlier in the article wins over a country or place of the same spelling
            if len(chain) == 1 and chain[0].kind == "country" and chain[0].end - chain[0].start == 1:
                tok = doc[chain[0].start]
                if tok.pos_ == "PROPN" and self._piece(tok) in state.lasts:
                    chain = [Seg(chain[0].start, chain[0].end, "name", how="ner")]
            if self._after_landmark(doc, chain[0].start):
                continue  # "the shrine of Imam Reza", "the mosque of Sayyida Zainab": a building
            s_index = sent_of[chain[-1].start]
            head = chain[-1] if chain[-1].kind in ("dict", "name") else None
            mods = chain[:-1] if head is not None else chain
            info = self._title_info(mods, state.day)
            restore: tuple[int, list[Mention]] | None = None
            personal = head is not None and (head.kind == "name" or (
                head.entry is not None and head.entry.kind == "person"))
            if personal and (info is None or info.country is None):
                appo = apposition(doc, chains, c, consumed, self._title_info)
                if appo is not None:
                    found, absorbed = appo
                    # the head's own rank ("Rear Admiral") outranks the apposition's sector
                    info = TitleInfo(country=found.country,
                                      sector=(info.sector if info else None) or found.sector, person=True,
                                      titles=(info.titles if info else ()) + found.titles)
                    restore = (absorbed, emitted[absorbed])
                    if absorbed < c:
                        emitted[absorbed] = []
                    else:
                        consumed.add(absorbed)
            if head is not None and head.kind == "dict":
                assert head.entry is not None
                emitted[c].extend(self._bodies(doc, mods, s_index, state))
                now = info is not None and bool(mods) and not formerly(doc, mods[0].start, head.start)
                emitted[c].append(self._dict_mention(doc, head, head.entry, head.how, s_index, state,
                                                     info.sector if info else None,
                                                     info.titles if info else (), now=now))
                continue
            if head is not None:
                if head.kind == "name" and info is not None and info.sector and mods and \
                        formerly(doc, mods[0].start, head.start):
                    info.sector = "CVL"  # "former U.S. Marine X": no office now
                if head.kind == "name" and info is not None and info.person and info.country is None:
                    titled = mods or (chains[restore[0]] if restore is not None else [])
                    code = self.cues.country_of_place(doc, titled[0].start, titled[-1].end) \
                        if titled else None
                    if code is not None:  # "Lagos state governor X", "the mayor of Kharkiv, X"
                        info.country = CountryHit(code, self.countries.name_of(code) or code, "country")
                mention = self._name_mention(doc, head, info, s_index, state)
                if mention is not None:
                    emitted[c].extend(self._bodies(doc, mods, s_index, state))
                    emitted[c].append(mention)
                    continue
                if restore is not None:  # not a person after all: the titled phrase stands alone
                    emitted[restore[0]] = restore[1]
                    consumed.discard(restore[0])
                organisation = organisation_mention(doc, head, mods, s_index, state, self.titles)
                if organisation is not None:
                    emitted[c].append(organisation)
                    continue
            else:
                described = description_mention(doc, mods, s_index, state, self.titles, self.countries)
                if described is not None:
                    emitted[c].append(described)
                    continue
            emitted[c].extend(self._headless(doc, mods, s_index, state))
        return [m for group in emitted for m in group]

    def _bodies(self, doc: Doc, mods: list[Seg], s_index: int, state: DocState) -> list[Mention]:
        """The organisations that qualify a person ("IRGC commander X"): mentioned too, as themselves."""
        return [self._dict_mention(doc, seg, seg.entry, seg.how, s_index, state, None) for seg in mods
                if seg.kind == "dict" and seg.entry is not None and seg.entry.kind != "person"]

    def _after_landmark(self, doc: Doc, start: int) -> bool:
        """Does the chain at ``start`` follow "<landmark> of" ("the shrine of ...")?"""
        if start < 2 or doc[start - 1].lower_ != "of":
            return False
        return normalise_name(doc[start - 2].text) in self.titles.landmarks

    def _title_info(self, mods: list[Seg], day: dt.date | None = None) -> TitleInfo | None:
        """Country and sector given by the modifiers of a head (or of nothing)."""
        titles = [s.title for s in mods if s.kind == "title" and s.title is not None]
        country = next((s.hit for s in mods if s.kind == "country"), None)
        org = next((s.entry for s in mods if s.kind == "dict"), None)
        if not titles and country is None and org is None:
            return None
        sector = title_sector(titles)
        person = any(t.person and not t.honorific for t in titles)
        org_code, org_sector = code_for(org, day, None) if org is not None else (None, None)
        if country is None and org is not None and (org.country or org_code):
            code = org.country or org_code
            assert code is not None
            country = CountryHit(code, self.countries.name_of(code) or code, "country")
            sector = sector or org.sector or org_sector
        if org is not None and org.kind in ("group", "igo") and org.sector in ("REB", "CRM", "IGO"):
            # "Houthi military spokesman", "European Commission President": the body's sector
            sector = org.sector
        return TitleInfo(country=country, sector=sector, person=person, titles=tuple(titles))

    def _dict_mention(self, doc: Doc, seg: Seg, entry: ActorEntry, how: str, s_index: int,
                      state: DocState, hint: str | None, titles: Sequence[Title] = (), *,
                      now: bool = False) -> Mention:
        a, b, text = char_span(doc, seg.start, seg.end)
        code, sector = code_for(entry, state.day, hint)
        if entry.kind == "person" and state.day is not None and entry.role_on(state.day) is None:
            # "Swiss Economy Minister Guy Parmelin": an office the text gives and the dictionary
            # lacks holds for this article (and for the surname later in it); one the person held
            # before is the past one ("Khan's foreign minister Qureshi", years after)
            named = [t for t in titles if t.person and not t.honorific and not t.prenominal]
            past = frozenset(self.titles.office_key(r.office) for r in entry.roles)
            if now and hint and named and not any(self.titles.office_matches(t.form, past)
                                                  for t in named):
                state.present.setdefault(entry.id, hint)
            if entry.id in state.present:
                sector = state.present[entry.id]
        if entry.kind == "person":
            forms = list(self.index.person_forms.get(entry.id, []))
            words = self._words(doc, seg)
            if words:
                forms.append(frozenset(words))
            lasts = frozenset(self._lasts(entry, text))
            # a dictionary form may carry its title: "FM Qureshi"
            titles = [*titles, *self.titles.strip_titles(text)[0]]
            offices = self.offices.offices(entry, state.day, titles)
            attested = offices if state.day is not None else self.offices.titled(titles)
            state.remember(Known(entry.id, entry.name, forms, lasts, entry, code, sector, offices, attested))
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=entry.id, name=entry.name, code=code, sector=sector, kind=entry.kind,
                       is_place=False, how=how)

    def _lasts(self, entry: ActorEntry, surface: str) -> set[str]:
        """The surnames ``entry`` may be called by: from its name, its aliases and this mention."""
        forms = [entry.name, *entry.aliases, surface]
        lasts = {last for last in (self.titles.surname(f) for f in forms) if last}
        if self.index.surname_first(entry):  # "Kim Jong Un ... Kim"
            lasts |= {first for first in (self.titles.first_surname(f) for f in forms) if first}
        return lasts

    def _words(self, doc: Doc, seg: Seg) -> list[str]:
        words = [self._piece(t) for t in doc[seg.start:seg.end]]
        return [w for w in words if w and w not in self.titles.particles]

    def _name_mention(self, doc: Doc, seg: Seg, info: TitleInfo | None, s_index: int,
                      state: DocState) -> Mention | None:
        words = self._words(doc, seg)
        if not words:
            return None
        a, b, text = char_span(doc, seg.start, seg.end)
        hint = info.sector if info else None
        known = state.by_surname(words[0]) if len(words) == 1 else state.by_words(words)
        entry: ActorEntry | None = None
        how = "surname"
        if known is None:
            ids: set[str] = set()
            if len(words) == 1:
                ids = {i for i in self.index.surnames.get(words[0], set())
                       if self.dictionary.get(i) is not None}
                if len(ids) > 1 and ids & state.people:  # "Khan, who ..." before "Imran Khan" later on
                    ids &= state.people
                given = self.offices.given_candidates(words[0], info, state.day) if info else set()
                if given & state.people:  # "Sheikh Mohamed bin Zayed ... Sheikh Mohamed"
                    ids = given & state.people
                elif info is not None and (info.person or given) and not ids & state.people:
                    # "Prince Faisal", "President Erdogan": of those so called, the one in office
                    ids = self.offices.active(ids | given, state.day)
                if info is not None and info.country is not None:
                    ids = self.offices.ids_of_country(ids, info.country.code)  # "Jordan's King Abdullah"
                if not ids & state.people and not (info is not None and info.person):
                    # out of office for long, a bare surname is that person only where it reads as
                    # a person's name: "Merkel said", not "near Boni" or "(English version)"
                    current = self.offices.current(ids, state.day)
                    ids = current if current or not self.cues.personal_word(doc, seg) else ids
            else:
                want = set(words)
                ids = {i for i in self.index.surnames.get(words[-1], set())
                       if any(want <= form for form in self.index.person_forms.get(i, []))}
                if not ids:
                    ids = self.offices.active(self.index.near("".join(words), self.index.person_key_list,
                                                              self.index.person_keys), state.day)
            if not ids and len(words) == 1 and info is not None and info.person:
                near = self.index.near(words[0], self.index.surname_key_list, self.index.surname_keys)
                ids = self.offices.current(near, state.day)  # "in Marseille" is not Martelly
            if len(ids) > 1 and info is not None and info.person:
                ids = set(self.offices.holding(ids, info.titles, state.day)) or ids
            if len(ids) == 1:
                entry = self.dictionary.get(next(iter(ids)))
            elif not ids and len(words) == 1 and info is not None:
                entry = self.offices.by_title(words[0], info.titles, state.day)
                how = "title"
        if known is not None and known.entry is not None:
            entry = known.entry
        if entry is not None:
            return self._dict_mention(doc, seg, entry, how, s_index, state, hint,
                                      info.titles if info else ())
        if known is not None:
            return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                           actor_id=known.actor_id, name=known.name, code=known.code, sector=known.sector,
                           kind="person", how="surname")
        if seg.end < len(doc) and normalise_name(doc[seg.end].text) in self.titles.landmarks:
            return None  # "Ben Gurion airport", "Tahrir Square": a place named after someone
        if self.cues.not_a_person(doc, seg, info):
            return None
        labels = [t.ent_type_ for t in doc[seg.start:seg.end] if t.ent_type_]
        personish = "PERSON" in labels or not labels or \
            sum(lab in _NON_PERSON_LABELS for lab in labels) * 2 < len(labels)
        titled = info is not None and info.person and (len(words) >= 2 or "PERSON" in labels)
        if titled and not personish and len(words) >= 2 and info is not None and any(
                t.person and not t.prenominal and not t.honorific for t in info.titles) and not any(
                normalise_name(t.text) in self.titles.org_words for t in doc[seg.start:seg.end]):
            # "Assistant Secretary of State Molly Phee", "WHO official Rik Peeperkorn": an office
            # right before a two-word name makes it a person, whatever spaCy's label
            personish = True
        possessed = not titled and self.cues.possessed_person(doc, seg, info)
        if not titled and self.cues.place_name(doc, seg):
            return None  # "in Sitio Mahayag", "Khan Younis", "Hamas's Gaza City brigade"
        if not possessed and (not personish or not (titled or ("PERSON" in labels and len(words) >= 2))):
            return None
        name = " ".join(t.text for t in doc[seg.start:seg.end]
                        if t.text not in NAME_JOINERS or t.text == "-")
        name = name.replace(" - ", "-")
        name = self.titles.strip_titles(name)[1] or name  # "Dr. X" is X
        code = info.country.code if titled and info and info.country else None
        sector = info.sector if titled and info else None
        if possessed:
            code = info.country.code if info and info.country else None  # "Rwanda's Olivier Nduhungirehe"
            if info is not None and info.sector:
                sector = info.sector  # "the opposition's X", "the ELN's X": the body's sector
        if code is not None and sector is None:
            sector = "GOV"  # "Russia's representative", "the head of Iran's delegation": the state's
        actor_id = f"person:{person_slug(name, self.titles.particles)}"
        lasts = frozenset({words[-1]}) if len(words) == 1 else frozenset(
            last for last in [self.titles.surname(text)] if last)
        if len(words) >= 2 and (code in self.titles.surname_first or any(
                t.text == "-" and doc[t.i + 1].text.islower() for t in doc[seg.start:seg.end - 1])):
            lasts |= {words[0]}  # "Unification Minister Moon Hyung-bae ... Moon"
        offices = self.offices.titled(info.titles if titled and info else ())
        state.remember(Known(actor_id, name, [frozenset(words)], lasts, None, code, sector, offices,
                              offices))
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=actor_id, name=name, code=code, sector=sector, kind="person",
                       how="title" if titled or (possessed and code is None) else "ner")

    def _country_mention(self, doc: Doc, start: int, end: int, hit: CountryHit, s_index: int,
                         state: DocState, sector: str | None, how: str, as_actor: bool = False) -> Mention:
        a, b, text = char_span(doc, start, end)
        place = not as_actor and (hit.kind == "place" or (hit.kind != "demonym" and (
            self.cues.place_before(doc, start, hit.kind) or start == state.last_place_end
            or self.cues.place_after(doc, end) or dateline(doc, start, end))))
        if place:
            state.last_place_end = end
            name = hit.place or hit.name
            return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                           actor_id=f"place:{slug(name)}", name=name, code=hit.code, sector=None,
                           kind=hit.kind, is_place=True, how=how)
        return Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b, text=text,
                       actor_id=f"country:{hit.code}", name=hit.name, code=hit.code,
                       sector=sector or hit.sector or "GOV", kind=hit.kind, is_place=False, how=how)

    def _headless(self, doc: Doc, mods: list[Seg], s_index: int, state: DocState) -> list[Mention]:
        """Modifiers without a name: "Pakistani army", "Iranian state media", "Tehran", "militants"."""
        out: list[Mention] = []
        titles = [s for s in mods if s.kind == "title" and s.title is not None]
        sectored = [s for s in titles if s.title and not s.title.prenominal and not s.title.honorific]
        country = next((s for s in mods if s.kind == "country"), None)
        org = next((s for s in mods if s.kind == "dict"), None)
        if country is not None and country.hit is not None and org is not None and org.entry is not None \
                and country.end <= org.start and org.entry.country in (None, country.hit.code):
            # "Yemen's Houthi militants", "Lebanese Hezbollah": the group, located; one mention
            end = max([org.end, *(t.end for t in sectored)])
            org = Seg(country.start, end, org.kind, how=org.how, entry=org.entry)
            country = None
        if country is not None and country.hit is not None:
            if sectored:
                sector = title_sector([s.title for s in sectored if s.title is not None])
                mention = self._country_mention(doc, country.start, sectored[-1].end, country.hit, s_index,
                                                state, sector, "title", as_actor=True)
                body = sectored[-1].title
                if body is not None and not body.person:
                    mention = self._generic(mention, body.form, mention.code) or mention
                out.append(mention)
            else:
                out.append(self._country_mention(doc, country.start, country.end, country.hit, s_index, state,
                                                 None, country.how))
        if org is not None and org.entry is not None:
            hint = next((s.title.sector for s in reversed(sectored) if s.title and s.title.sector), None)
            out.append(self._dict_mention(doc, org, org.entry, org.how, s_index, state, hint))
        if country is None and org is None:
            standalone = [s for s in titles if s.title and s.title.standalone]
            if standalone:
                last = standalone[-1]
                assert last.title is not None
                a, b, text = char_span(doc, titles[0].start, last.end)
                mention = Mention(doc_id=state.doc_id, sentence_index=s_index, char_start=a, char_end=b,
                                  text=text, actor_id=None, name=last.title.form, code=None,
                                  sector=last.title.sector, kind="group", is_place=False, how="title")
                out.append(self._generic(mention, last.title.form, None) or mention)
        return out

    def _generic(self, mention: Mention, title: str, code: str | None) -> Mention | None:
        """The generic hook's mention for a collective phrase, if a hook is set and it has one."""
        if self.generic is None:
            return None
        return self.generic(GenericPhrase(mention.doc_id, mention.sentence_index, mention.char_start,
                                          mention.char_end, mention.text, title, mention.sector, code))
