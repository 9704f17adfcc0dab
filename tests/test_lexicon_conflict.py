"""Issue 10: the vocabulary of the conflict types (ACCUSE, REJECT, THREATEN, PROTEST, SANCTION,
MOBILIZE, COERCE, ASSAULT), one sentence per reading shape, run through the whole pipeline.

The sentences are written for these tests (none is taken from a corpus or an eval set).
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import happened
from detente.events.lexicon import Lexicon


def _real(pipeline: Any, text: str) -> list[tuple[str, str | None]]:
    """(type, mode) of the unflagged events of ``text``."""
    return [(e.event, e.mode) for e in happened(pipeline, text, "2024-05-02")]


@pytest.mark.parametrize(("text", "etype", "mode"), [
    # ACCUSE
    ("Beijing lodged stern representations with Washington over the arms sale.", "ACCUSE", "disapprove"),
    ("Manila filed a diplomatic protest with Beijing on Tuesday.", "ACCUSE", "disapprove"),
    ("The Polish president excoriated Belarus over the border crisis.", "ACCUSE", "disapprove"),
    ("Berlin called in the Russian ambassador on Friday.", "ACCUSE", "disapprove"),
    # REJECT
    ("The United States voted against the resolution on Thursday.", "REJECT", "veto"),
    ("Russia blocked a Security Council resolution on Syria.", "REJECT", "veto"),
    ("Kenya's Supreme Court struck down the new finance law.", "REJECT", None),
    # THREATEN
    ("Hamas vowed to fight Israel until the occupation ends.", "THREATEN", "violence"),
    ("The miners' union threatened to march on the capital.", "THREATEN", "warn"),
    ("The rebel commander swore to recapture the provincial capital.", "THREATEN", "violence"),
    # PROTEST
    ("Tens of thousands of people poured into the streets of Santiago on Friday.", "PROTEST", "demonstrate"),
    ("Nurses in Ghana held a strike over unpaid wages.", "PROTEST", "strike"),
    ("Protesters set up barricades and burned tyres in Port-au-Prince.", "PROTEST", "obstruct"),
    # SANCTION
    ("Chad ended its defence cooperation agreement with France.", "SANCTION", "discontinue"),
    # round 3: observers, peacekeepers and delegations sent away are a SANCTION expulsion (CAMEO 166)
    ("Nicaragua expelled a delegation of European observers.", "SANCTION", "expel"),
    ("Eritrea expelled the UN peacekeepers on Monday.", "SANCTION", "expel"),
    ("Bolivia severed its relationship with Israel on Tuesday.", "SANCTION", "reduce-relations"),
    ("China restricted exports of gallium to the United States.", "SANCTION", "economic"),
    ("Washington added six Chinese firms to its entity list.", "SANCTION", "economic"),
    ("Turkey raised tariffs on American cars.", "SANCTION", "economic"),
    ("Washington targeted Russian banks with new sanctions on Friday.", "SANCTION", "economic"),
    ("Bolivia broke diplomatic relations with Israel on Tuesday.", "SANCTION", "reduce-relations"),
    ("Niger kicked out the French ambassador.", "SANCTION", "reduce-relations"),
    ("Japan imposed export controls on advanced chips to China.", "SANCTION", "economic"),
    ("The European Union suspended Belarus from the Council of Europe.", "SANCTION", "reduce-relations"),
    # MOBILIZE
    ("Japan scrambled fighter jets after Russian bombers neared its airspace.", "MOBILIZE", "military"),
    ("Soldiers patrolled the streets of Kathmandu on Wednesday.", "MOBILIZE", "troops"),
    # round 3: a count of troops stationed, child soldiers recruited
    ("Belarus stationed thousands of soldiers along its western border.", "MOBILIZE", "troops"),
    ("The militia recruited child soldiers in the eastern provinces.", "MOBILIZE", "militia"),
    ("China launched large-scale military drills around Taiwan.", "MOBILIZE", "military"),
    ("Poland bolstered its defences along the border with Belarus.", "MOBILIZE", "troops"),
    # COERCE
    ("The junta placed President Bazoum under house arrest.", "COERCE", "arrest"),
    ("Prosecutors in Istanbul issued detention warrants for 100 people.", "COERCE", "arrest"),
    ("Thai police charged a crowd of protesters outside Government House.", "COERCE", "repress"),
    ("Greek police responded with tear gas and stun grenades.", "COERCE", "repress"),
    # ASSAULT
    ("Nigerian troops repelled an attack by Boko Haram fighters on a base in Borno.", "ASSAULT", "clash"),
    ("Ukrainian troops engaged Russian forces near Bakhmut on Sunday.", "ASSAULT", "clash"),
    ("Armed men fired rifles at a bus near Jos, police said.", "ASSAULT", "firearms"),
    ("A suicide bomber blew himself up at a mosque in Peshawar.", "ASSAULT", "suicide-bomb"),
    ("Demonstrators hurled stones at riot police in Dakar.", "ASSAULT", "primitive"),
    # round 2
    ("The opposition leader called the arrests \"an assault on democracy\".", "ACCUSE", "disapprove"),
    ("The Israeli embassy called the allegations \"pure fabrication\".", "REJECT", "deny"),
    ("Moscow said it was halting its participation in the fisheries accord with Norway.", "REJECT", "change"),
    ("Pakistan's opposition challenged the verdict in the Supreme Court.", "REJECT", None),
    ("Rwanda's government denied the accusations on Monday.", "REJECT", "deny"),
    ("Iran has denied any involvement in the bombing in Kerman.", "REJECT", "deny"),
    ("Hundreds of farmers gathered outside the agriculture ministry in Warsaw.", "PROTEST", "demonstrate"),
    ("Rioters stormed the parliament in Dhaka on Monday.", "PROTEST", "riot"),
    ("Soldiers were deployed at key junctions in Nairobi on Tuesday.", "MOBILIZE", "troops"),
    ("M23 rebels seized the town of Walikale on Saturday.", "COERCE", "seize"),
    ("The Treasury designated four Hong Kong firms for supplying drones to Iran.", "SANCTION", "economic"),
    ("Thailand cut electricity and fuel to border towns in Myanmar.", "SANCTION", "discontinue"),
    ("Beijing warned of severe consequences for Manila.", "THREATEN", "warn"),
    # a reading with a preposition ("send to prison", "expel from the union") must not hide the
    # plain readings of its verb when that preposition heads another phrase
    ("North Korea sent 1,500 troops to Russia on Monday.", "MOBILIZE", "troops"),
    ("Rwanda sent aid to Mozambique in March.", "AID", "economic"),
    ("Moldova expelled 45 Russian diplomats from the country on Wednesday.", "SANCTION", "reduce-relations"),
    ("Israel targeted the base with drones on Sunday.", "ASSAULT", None),
    ("China put 11 American companies on its entity list.", "SANCTION", "economic"),
    ("A court in Minsk sent the opposition leader to prison for ten years.", "COERCE", "arrest"),
])
def test_conflict_reading_codes_its_type_and_mode(pipeline: Any, text: str, etype: str,
                                                   mode: str | None) -> None:
    got = _real(pipeline, text)
    assert (etype, mode) in got, (text, got)


@pytest.mark.parametrize(("text", "wrong"), [
    # a plain reading of the same verb must not take over a conditioned one
    ("The court struck down the ban on street vendors.", "ASSAULT"),
    ("China restricted exports of rare earths to Japan.", "COERCE"),
    ("Japan imposed export controls on advanced chips to China.", "COERCE"),
    ("The council voted against the motion, and Russia refused the offer.", "ASSAULT"),
    ("Chile and Peru clashed over the maritime boundary.", "ASSAULT"),
    ("The dock workers' union called off the strike on Friday.", "PROTEST"),
    # round 2: denying an act answers no request (the denied act is flagged, not coded)
    ("The army in Yaounde denied targeting civilians in the village.", "REJECT"),
    ("The Serbian interior ministry denied any violation of the rules.", "REJECT"),
    ("Iran has denied any involvement in the bombing in Kerman.", "ASSAULT"),
    ("The Sudanese army took charge of security in the capital.", "ACCUSE"),
    ("The Indonesian minister called the talks with Malaysia \"constructive\".", "ACCUSE"),
    ("M23 rebels seized the town of Walikale on Saturday.", "ASSAULT"),
    ("Al-Shabaab militants stormed a hotel near the presidential palace in Mogadishu.", "PROTEST"),
    # round 3: measures threatened or floated are not taken
    ("Canberra threatened new tariffs on Chinese steel.", "SANCTION"),
    ("The bloc floated fresh sanctions on Belarus on Monday.", "SANCTION"),
])
def test_conflict_reading_does_not_fall_to_another_type(pipeline: Any, text: str, wrong: str) -> None:
    got = {t for t, _ in _real(pipeline, text)}
    assert wrong not in got, (text, got)


def test_a_reading_of_these_types_is_in_one_file_only() -> None:
    """The same lemma with the same conditions and shared objects in two type files would be a
    duplicate reading: the file read first would hide the other."""
    lex = Lexicon.load()
    conflict = {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    clashes = []
    for table in (lex.verbs, lex.nouns):
        for lemma, readings in table.items():
            new = [r for r in readings if r.event in conflict]
            for a in new:
                for b in readings:
                    if b is a or b.event == a.event or a.source.split(":")[0] == b.source.split(":")[0]:
                        continue
                    same = (a.prep, a.requires, a.excludes, a.pobjs, a.complement, a.modifier) == \
                        (b.prep, b.requires, b.excludes, b.pobjs, b.complement, b.modifier)
                    if same and a.objects and a.objects & b.objects:
                        clashes.append((lemma, a.event, b.event, sorted(a.objects & b.objects)[:3]))
    # known overlaps filed before issue 10, owned by other type files (see the report)
    known = {("block", "COERCE", "PROTEST"), ("block", "PROTEST", "COERCE"), ("impose", "COERCE", "SANCTION"),
             ("impose", "SANCTION", "COERCE"), ("fire", "ASSAULT", "COERCE"), ("fire", "COERCE", "ASSAULT"),
             ("send", "MOBILIZE", "AID"), ("dispatch", "MOBILIZE", "AID"), ("airlift", "MOBILIZE", "AID"),
             ("rush", "MOBILIZE", "AID")}
    assert [c for c in clashes if c[:3] not in known] == []
