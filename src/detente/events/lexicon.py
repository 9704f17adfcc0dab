"""The event lexicon: verbs and nouns that signal PLOVER events, and the cue words of modality.

Bundled files live in ``detente/data/lexicon/``: one file per PLOVER type in ``types/``
(``types/protest.yaml`` ...: a top-level ``type`` key is the default ``event`` of its entries, and
``no_recipient`` says what stands as recipient when the text names none), plus
``adjectives.yaml`` and ``cues.yaml``; users add theirs with ``--lexicon FILE`` (any of the
sections ``type``, ``no_recipient``, ``verbs``, ``nouns``, ``adjectives``, ``modifier_modes``, ``cues``).
A lemma of several words is a multiword reading: for a verb the words after the first are its
particles ("hand over" = ``hand`` + ``prep: over``), for a noun the words before the last must
modify it ("hunger strike" = ``strike`` + ``modifier: [hunger]``).
Readings of one lemma are tried from the most specific (particles, objects, modifiers,
conditions) to the plainest, in file order within each group.
Every entry is validated on load against the PLOVER table in
``detente/data/ontology/plover.yaml`` (types and modes); a bad entry raises
:class:`~detente.errors.DataFileError` naming the file, the line and the reason.
User entries come first, so they win over bundled ones for the same lemma.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from detente.datafiles import load_data_file
from detente.errors import DataFileError

CONDITIONS = frozenset({"xcomp", "object", "person-object", "person-prep", "oprd", "anchored",
                        "military-subject", "aid-subject"})
ENTRY_KEYS = frozenset({"lemma", "event", "mode", "context", "prep", "requires", "excludes", "objects",
                        "recipient", "symmetric", "third_party", "place_ok", "recipient_optional", "poss",
                        "modifier", "dyad_ok", "pobjs", "complement", "needs_recipient", "subject",
                        "__line__"})
# what stands as recipient when the text names none (see docs/events.md, "Recipients by type")
NO_RECIPIENT = frozenset({"drop", "keep", "place-government", "place", "actor-country"})
CUE_KEYS = frozenset({"negation", "modals", "conditional", "hypothetical_governors",
                      "hypothetical_modifiers", "hypothetical_adverbs", "allegation", "denial", "speech",
                      "first_person", "relative_pronouns", "light_verbs", "patient_verbs",
                      "presupposing_preps", "person_nouns", "person_pronouns", "thing_pronouns",
                      "dyad_nouns", "dyad_determiners", "dyad_pronouns", "partner_nouns", "motion_verbs",
                      "occurrence_verbs", "dyad_modifiers", "failure", "future_modals", "intent_governors",
                      "expectation_governors", "right_governors", "weapon_nouns", "proposing_verbs",
                      "commitment_modals", "commitment_governors", "threat_governors", "commitment_speech",
                      "promise_types", "threat_types", "response_verbs", "announced_types",
                      "domestic_types", "background_modifiers", "hazard_nouns", "cancelling_verbs",
                      "protester_nouns", "agreed_types",
                      "aid_carriers", "threat_predicates", "plural_pronouns",
                      "wrongdoing_verbs", "disapproval_words", "verbal_types", "celebration_verbs",
                      "stative_passives"})


@dataclass(frozen=True)
class Trigger:
    """One reading of a verb or noun: the event it signals and where its participants are."""

    lemma: str
    pos: str  # "verb" | "noun" | "adj"
    event: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    prep: tuple[str, ...] = ()
    requires: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    recipient: tuple[str, ...] = ("dobj",)
    symmetric: bool = False
    third_party: bool = False
    place_ok: bool = False
    recipient_optional: bool = False
    poss: str = "actor"
    modifier: frozenset[str] = frozenset()
    dyad_ok: bool = False  # no recipient found: the other party of the article's main dyad
    pobjs: frozenset[str] = frozenset()  # the object of the particle/preposition ("take to the streets")
    complement: frozenset[str] = frozenset()  # the verb of the "to ..." clause ("refused to release")
    needs_recipient: bool = False  # never coded without a recipient, whatever the type's rule
    # "recipient": the subject receives ("Japan received aid from Australia"); the actor is then
    # found in the recipient slots ("from")
    subject: str = "actor"
    source: str = ""


@dataclass(frozen=True)
class Cues:
    """Cue words (lower case) for negation, modality, quotes and participants."""

    negation: frozenset[str] = frozenset()
    modals: frozenset[str] = frozenset()
    conditional: frozenset[str] = frozenset()
    hypothetical_governors: frozenset[str] = frozenset()
    hypothetical_modifiers: frozenset[str] = frozenset()
    hypothetical_adverbs: frozenset[str] = frozenset()
    allegation: frozenset[str] = frozenset()
    denial: frozenset[str] = frozenset()
    speech: frozenset[str] = frozenset()
    first_person: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    patient_verbs: frozenset[str] = frozenset()
    presupposing_preps: frozenset[str] = frozenset()
    person_nouns: frozenset[str] = frozenset()
    person_pronouns: frozenset[str] = frozenset()
    thing_pronouns: frozenset[str] = frozenset()
    plural_pronouns: frozenset[str] = frozenset()  # "they": a country, group or generic actor before
    wrongdoing_verbs: frozenset[str] = frozenset()  # "said Y had violated": an accusation (accusations.py)
    disapproval_words: frozenset[str] = frozenset()  # "called the move outrageous": an accusation
    verbal_types: frozenset[str] = frozenset()  # "vowed to veto the bill": the vow is the rejection
    celebration_verbs: frozenset[str] = frozenset()  # "took to the streets to celebrate": no protest
    stative_passives: frozenset[str] = frozenset()  # "1,000 troops are stationed in Niger": a state
    dyad_nouns: frozenset[str] = frozenset()
    dyad_determiners: frozenset[str] = frozenset()
    dyad_pronouns: frozenset[str] = frozenset()
    partner_nouns: frozenset[str] = frozenset()
    motion_verbs: frozenset[str] = frozenset()
    occurrence_verbs: frozenset[str] = frozenset()
    dyad_modifiers: frozenset[str] = frozenset()
    failure: frozenset[str] = frozenset()
    future_modals: frozenset[str] = frozenset()
    intent_governors: frozenset[str] = frozenset()
    expectation_governors: frozenset[str] = frozenset()
    right_governors: frozenset[str] = frozenset()
    weapon_nouns: frozenset[str] = frozenset()
    proposing_verbs: frozenset[str] = frozenset()
    # statements of intent (see detente.events.modality.commitment_of): the modals, verbs and
    # types that make "said it would cooperate" an AGREE and "vowed to strike" a THREATEN
    commitment_modals: frozenset[str] = frozenset()
    commitment_governors: frozenset[str] = frozenset()
    threat_governors: frozenset[str] = frozenset()
    commitment_speech: frozenset[str] = frozenset()
    promise_types: frozenset[str] = frozenset()  # lower-case PLOVER types coded AGREE when promised
    threat_types: frozenset[str] = frozenset()  # ... coded THREATEN when promised
    response_verbs: frozenset[str] = frozenset()  # "would respond": a threat only when promised
    announced_types: frozenset[str] = frozenset()  # "said it would release": the decision is the act
    domestic_types: frozenset[str] = frozenset()  # no recipient named: the actor's own country
    background_modifiers: frozenset[str] = frozenset()  # "recent talks": a summary, not a new event
    hazard_nouns: frozenset[str] = frozenset()  # "an earthquake killed 30": no doer, no attack
    cancelling_verbs: frozenset[str] = frozenset()  # "banned all demonstrations": no new protest
    protester_nouns: frozenset[str] = frozenset()  # "demonstrators demanded ...": the protest's demand
    agreed_types: frozenset[str] = frozenset()  # "agreed to cooperate": the act agreed, not AGREE
    aid_carriers: frozenset[str] = frozenset()  # "rescue teams arrived": aid delivered, not a visit
    threat_predicates: frozenset[str] = frozenset()  # "will pay a heavy price": a threat (threats.py)


@dataclass(frozen=True)
class Ontology:
    """The PLOVER types and the modes each allows (read from the mapping table)."""

    modes: Mapping[str, frozenset[str]]

    @classmethod
    def load(cls, path: Path | None = None) -> Ontology:
        from detente.events.code import load_table

        table = load_table(path)
        return cls({t: frozenset(row.modes) for t, row in table.types.items()})


@dataclass
class Lexicon:
    verbs: dict[str, list[Trigger]] = field(default_factory=dict)
    nouns: dict[str, list[Trigger]] = field(default_factory=dict)
    adjectives: dict[str, list[Trigger]] = field(default_factory=dict)
    modifier_modes: dict[str, dict[str, str]] = field(default_factory=dict)  # type -> word -> mode
    cues: Cues = field(default_factory=Cues)
    no_recipient: dict[str, str] = field(default_factory=dict)  # type -> NO_RECIPIENT value
    state_agent_types: set[str] = field(default_factory=set)  # passive without agent: the state acts
    unknown_agent_types: set[str] = field(default_factory=set)  # passive without agent: kept, no doer
    civilian_actor_types: set[str] = field(default_factory=set)  # no actor named: civilians of the place

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, extra_files: Sequence[Path] = (), ontology: Ontology | None = None) -> Lexicon:
        """The bundled lexicon plus ``extra_files`` (user entries take precedence)."""
        ontology = ontology or Ontology.load()
        lex = cls()
        cue_sets: dict[str, set[str]] = {k: set() for k in CUE_KEYS}
        for path in extra_files:
            lex._read(Path(path), None, ontology, cue_sets)
        base = resources.files("detente") / "data" / "lexicon"
        bundled = sorted((r for r in (base / "types").iterdir() if r.name.endswith(".yaml")),
                         key=lambda r: r.name)
        for res in [*bundled, base / "adjectives.yaml", base / "cues.yaml"]:
            lex._read(Path(str(res)), res.read_text(encoding="utf-8"), ontology, cue_sets)
        lex.cues = Cues(**{k: frozenset(v) for k, v in cue_sets.items()})
        lex._order()
        return lex

    def _order(self) -> None:
        """Readings of a lemma from the most specific to the plainest (stable within a group),
        so a plain reading in one type's file never hides a conditioned one in another's."""
        def rank(t: Trigger) -> int:
            if t.complement or t.pobjs:
                return 0
            return 1 if (t.prep or t.objects or t.modifier or t.requires) else 2 if t.excludes else 3
        for table in (self.verbs, self.nouns, self.adjectives):
            for lemma, readings in table.items():
                table[lemma] = sorted(readings, key=rank)

    @classmethod
    def from_text(cls, text: str, ontology: Ontology | None = None, name: str = "<lexicon>") -> Lexicon:
        """A lexicon from one YAML text only (for tests and tools)."""
        ontology = ontology or Ontology.load()
        lex = cls()
        cue_sets: dict[str, set[str]] = {k: set() for k in CUE_KEYS}
        lex._read(Path(name), text, ontology, cue_sets)
        lex.cues = Cues(**{k: frozenset(v) for k, v in cue_sets.items()})
        lex._order()
        return lex

    def _read(self, path: Path, text: str | None, ontology: Ontology,
              cue_sets: dict[str, set[str]]) -> None:
        data = load_data_file(path, text)
        line = data.get("__line__")
        unknown = set(data) - {"version", "type", "no_recipient", "passive_agent", "no_actor", "verbs",
                               "nouns", "adjectives", "modifier_modes", "cues", "__line__"}
        if unknown:
            raise DataFileError(path, f"unknown section(s): {', '.join(sorted(unknown))}", line)
        default_type = data.get("type")
        if default_type is not None and default_type not in ontology.modes:
            raise DataFileError(path, f"unknown PLOVER type {default_type!r} "
                                f"(known: {', '.join(sorted(ontology.modes))})", line)
        if "no_recipient" in data:
            rule = data["no_recipient"]
            if default_type is None or rule not in NO_RECIPIENT:
                raise DataFileError(path, "'no_recipient' needs a 'type' and one of "
                                    f"{', '.join(sorted(NO_RECIPIENT))} (got {rule!r})", line)
            self.no_recipient.setdefault(default_type, rule)
        if data.get("passive_agent") is not None:
            if default_type is None or data["passive_agent"] not in ("state", "unknown"):
                raise DataFileError(path, "'passive_agent' needs a 'type' and the value 'state' or 'unknown'",
                                    line)
            (self.state_agent_types if data["passive_agent"] == "state" else self.unknown_agent_types).add(
                default_type)
        if data.get("no_actor") is not None:
            if default_type is None or data["no_actor"] != "civilians":
                raise DataFileError(path, "'no_actor' needs a 'type' and the value 'civilians'", line)
            self.civilian_actor_types.add(default_type)
        for section, pos, target in (("verbs", "verb", self.verbs), ("nouns", "noun", self.nouns),
                                     ("adjectives", "adj", self.adjectives)):
            entries = data.get(section) or []
            if not isinstance(entries, list):
                raise DataFileError(path, f"'{section}' must be a list of entries", line)
            for raw in entries:
                trig = _parse_entry(path, raw, pos, ontology, default_type)
                target.setdefault(trig.lemma, []).append(trig)
        self._read_modes(path, data.get("modifier_modes") or {}, ontology, line)
        cues = data.get("cues") or {}
        if not isinstance(cues, dict):
            raise DataFileError(path, "'cues' must be a mapping of cue lists", line)
        for key, words in cues.items():
            if key == "__line__":
                continue
            if key not in CUE_KEYS:
                raise DataFileError(path, f"unknown cue list {key!r} (known: {', '.join(sorted(CUE_KEYS))})",
                                    cues.get("__line__"))
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise DataFileError(path, f"cue list {key!r} must be a list of words", cues.get("__line__"))
            cue_sets[key].update(w.lower() for w in words)

    def _read_modes(self, path: Path, modes: Any, ontology: Ontology, line: int | None) -> None:
        if not isinstance(modes, dict):
            raise DataFileError(path, "'modifier_modes' must map event types to lists", line)
        for etype, rows in modes.items():
            if etype == "__line__":
                continue
            if etype not in ontology.modes:
                raise DataFileError(path, f"unknown PLOVER type {etype!r} in modifier_modes",
                                    modes["__line__"])
            table = self.modifier_modes.setdefault(etype, {})
            for row in rows or []:
                rline = row.get("__line__") if isinstance(row, dict) else line
                if not isinstance(row, dict) or not isinstance(row.get("words"), list) or not row.get("mode"):
                    raise DataFileError(path, "a modifier_modes row needs 'words' (a list) and 'mode'", rline)
                if row["mode"] not in ontology.modes[etype]:
                    raise DataFileError(path, f"mode {row['mode']!r} is not a mode of {etype}", rline)
                for w in row["words"]:
                    table.setdefault(str(w).lower(), row["mode"])

    # -- look-ups ------------------------------------------------------------------------------
    def verb_readings(self, lemma: str) -> list[Trigger]:
        return self.verbs.get(lemma.lower(), [])

    def noun_readings(self, lemma: str) -> list[Trigger]:
        return self.nouns.get(lemma.lower(), [])

    def adjective_readings(self, lemma: str) -> list[Trigger]:
        return self.adjectives.get(lemma.lower(), [])

    def mode_from_words(self, event: str, words: Iterable[str]) -> str | None:
        """The mode that modifier ``words`` set for ``event``; rows listed first in the file win
        ("missile and drone attack" is a drone attack when drone is listed before aerial)."""
        table = self.modifier_modes.get(event, {})
        present = {table[w.lower()] for w in words if w.lower() in table}
        return next((m for m in dict.fromkeys(table.values()) if m in present), None)


def _as_list(path: Path, raw: dict[str, Any], key: str, line: int | None) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if key == "prep" else [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(path, f"{key!r} must be a list of strings", line)
    return [v.lower() for v in value]


def _parse_entry(path: Path, raw: Any, pos: str, ontology: Ontology,
                 default_type: str | None = None) -> Trigger:
    if not isinstance(raw, dict):
        raise DataFileError(path, f"a {pos} entry must be a mapping", None)
    line = raw.get("__line__")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise DataFileError(path, f"unknown field(s) {', '.join(sorted(unknown))}", line)
    lemma = raw.get("lemma")
    if not isinstance(lemma, str) or not lemma.strip():
        raise DataFileError(path, "an entry needs a 'lemma'", line)
    event = raw.get("event", default_type)
    if not isinstance(event, str) or event not in ontology.modes:
        raise DataFileError(path, f"{lemma}: unknown PLOVER type {event!r} "
                            f"(known: {', '.join(sorted(ontology.modes))})", line)
    mode = raw.get("mode")
    if mode is not None and mode not in ontology.modes[event]:
        raise DataFileError(path, f"{lemma}: mode {mode!r} is not a mode of {event} "
                            f"(known: {', '.join(sorted(ontology.modes[event]))})", line)
    requires = set(_as_list(path, raw, "requires", line))
    excludes = set(_as_list(path, raw, "excludes", line))
    bad = (requires | excludes) - CONDITIONS
    if bad:
        raise DataFileError(path, f"{lemma}: unknown condition(s) {', '.join(sorted(bad))} "
                            f"(known: {', '.join(sorted(CONDITIONS))})", line)
    poss = raw.get("poss", "actor")
    if poss not in ("actor", "recipient"):
        raise DataFileError(path, f"{lemma}: 'poss' must be actor or recipient", line)
    subject = raw.get("subject", "actor")
    if subject not in ("actor", "recipient") or (subject == "recipient" and pos != "verb"):
        raise DataFileError(path, f"{lemma}: 'subject' must be actor or recipient (verbs only)", line)
    flags = {}
    for key in ("symmetric", "third_party", "place_ok", "recipient_optional", "dyad_ok", "needs_recipient"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise DataFileError(path, f"{lemma}: {key!r} must be true or false", line)
        flags[key] = value
    recipient = _as_list(path, raw, "recipient", line) if "recipient" in raw else (
        ["dobj"] if pos == "verb" else ["complement"] if pos == "adj" else [])
    words = lemma.strip().lower().split()
    prep = _as_list(path, raw, "prep", line)
    modifier = _as_list(path, raw, "modifier", line)
    if len(words) > 1 and pos == "verb":  # "hand over", "crack down on"
        head, prep = words[0], [*words[1:], *prep]
    elif len(words) > 1:  # "hunger strike", "sit-in protest"
        head, modifier = words[-1], [*modifier, *words[:-1]]
    else:
        head = words[0]
    return Trigger(
        lemma=head, pos=pos, event=event, mode=mode,
        context=tuple(_as_list(path, raw, "context", line)),
        prep=tuple(prep),
        requires=frozenset(requires), excludes=frozenset(excludes),
        objects=frozenset(_as_list(path, raw, "objects", line)),
        recipient=tuple(recipient), poss=poss, subject=subject,
        modifier=frozenset(modifier),
        pobjs=frozenset(_as_list(path, raw, "pobjs", line)),
        complement=frozenset(_as_list(path, raw, "complement", line)),
        source=f"{path}:{line}", **flags)
