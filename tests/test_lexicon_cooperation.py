"""Issue 10: the news-English readings of the cooperative types and of REQUEST and RETREAT.

Each case is a sentence written for this test, run through the whole pipeline: the expected PLOVER
type (and mode) must be among the unflagged events, and the "must not" cases guard the readings
that were kept narrow on purpose (an object list, a required "to"-clause or preposition).
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import happened
from detente.events.lexicon import Lexicon
from detente.model import Event


def _coded(pipeline: Any, text: str) -> list[Event]:
    return happened(pipeline, text, "2024-05-02")


CASES = [
    # AGREE
    ("Chile and Argentina accepted a Vatican peace proposal on Monday.", "AGREE", None),
    ("Germany pledged to send more air defence systems to Ukraine.", "AGREE", None),
    ("Serbia and Kosovo worked out a deal on licence plates in Brussels.", "AGREE", "sign"),
    ("Armenia and Azerbaijan came to an agreement on border demarcation.", "AGREE", "sign"),
    # AID
    ("Greece delivered 20 tonnes of medical supplies to Libya on Sunday.", "AID", "humanitarian"),
    ("Jordanian aircraft dropped food parcels over Gaza on Saturday.", "AID", "humanitarian"),
    ("Saudi Arabia deposited $3 billion with Pakistan's central bank.", "AID", "economic"),
    ("The IMF disbursed a $1.1 billion tranche to Pakistan.", "AID", "economic"),
    ("Japan gave $20 million to Sudan.", "AID", "economic"),
    # CONCEDE
    ("The Peruvian government withdrew the controversial mining bill on Friday.", "CONCEDE", "accede"),
    ("President Ruto dismissed his entire cabinet on Thursday.", "CONCEDE", "accede"),
    ("The Bolivian government admitted that police had used excessive force.", "CONCEDE", "admit"),
    ("The airline union in Portugal called off its strike on Tuesday.", "CONCEDE", "accede"),
    ("The Kenyan health minister tendered his resignation on Friday.", "CONCEDE", "resign"),
    # CONSULT
    ("Egypt's President Sisi received a Sudanese delegation in Cairo on Monday.", "CONSULT", "receive"),
    ("Macron took a call from Zelensky on Tuesday.", "CONSULT", "phone"),
    ("Iran and Saudi Arabia resumed talks in Baghdad on Friday.", "CONSULT", "negotiate"),
    ("President Lula hosted a dinner for the visiting Chinese premier.", "CONSULT", "receive"),
    # COOPERATE
    ("Qatar Airways resumed flights to Saudi Arabia on Monday.", "COOPERATE", "economic"),
    ("Kazakhstan shared the flight recorders with Azerbaijan.", "COOPERATE", "intelligence"),
    ("India held naval exercises with France in the Arabian Sea.", "COOPERATE", "military"),
    # SUPPORT
    ("The Arab League paid tribute to Kuwait's late emir.", "SUPPORT", "praise"),
    ("Brazil supported Colombia's bid to host the summit.", "SUPPORT", "endorse"),
    ("Japan reiterated its respect for the territorial integrity of Moldova.", "SUPPORT", "endorse"),
    # RETREAT
    ("Russian troops returned to their bases in Belarus on Wednesday.", "RETREAT", "withdraw"),
    ("Israel paused military operations in southern Gaza on Sunday.", "RETREAT", "ceasefire"),
    ("Azerbaijan repatriated 32 Armenian prisoners of war.", "RETREAT", "release"),
    ("Sudanese soldiers vacated the hospital they had occupied for a month.", "RETREAT", "withdraw"),
    ("The junta lifted the internet shutdown in Myanmar.", "RETREAT", "ease"),
    # REQUEST
    ("Tokayev asked the alliance for help on Wednesday.", "REQUEST", "assist"),
    ("The European Union called for an immediate ceasefire in Sudan.", "REQUEST", "yield"),
    ("Uganda appealed to donors for help with refugees.", "REQUEST", "assist"),
    # round 2: a truce agreed between sides is AGREE, a one-sided one RETREAT
    ("A truce between Armenia and Azerbaijan held on Tuesday.", "AGREE", "sign"),
    ("Hamas declared a unilateral ceasefire on Friday.", "RETREAT", "ceasefire"),
    ("Hamas announced it would end attacks on Israel.", "RETREAT", "ceasefire"),
    ("Washington removed Sudan from its terrorism blacklist on Monday.", "RETREAT", "ease"),
    # an offer to step down is the concession itself; an announced concession is one
    ("The Georgian interior minister offered to resign on Friday.", "CONCEDE", "resign"),
    ("The Colombian government announced it would withdraw the tax reform.", "CONCEDE", "accede"),
    # an order to foreign troops to leave and a proposed ceasefire ask the other side to yield
    ("Mali ordered French troops to leave the country within a month.", "REQUEST", "yield"),
    ("Armenia proposed a mutual withdrawal of troops from the border with Azerbaijan.", "REQUEST", "yield"),
    ("Germany reaffirmed its support for Ukraine on Monday.", "SUPPORT", "endorse"),
    # round 3: agreeing to the other side's demands is yielding; relief goods handed out are aid
    ("The Chilean government agreed to the demands of the striking miners.", "CONCEDE", "accede"),
    ("The rebels agreed to the conditions set by the mediators on Friday.", "CONCEDE", "accede"),
    ("The Guinean junta agreed to lift the curfew after talks with the unions.", "CONCEDE", "accede"),
    ("Volunteers distributed blankets and tents to families in northern Syria.", "AID", "humanitarian"),
    ("Italian medics treated hundreds of injured migrants in Lampedusa.", "AID", "humanitarian"),
    ("The Pakistani army evacuated thousands of villagers from the flooded district.", "AID", "humanitarian"),
]


@pytest.mark.parametrize(("text", "etype", "mode"), CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_news_readings_code_their_type(pipeline: Any, text: str, etype: str, mode: str | None) -> None:
    got = [(e.event, e.mode) for e in _coded(pipeline, text)]
    assert any(t == etype and (mode is None or m == mode) for t, m in got), (text, got)


NOT_CASES = [
    # an AID reading for money needs a named recipient: a budget line is no aid
    ("The central bank injected $5 billion into the banking system on Monday.", "AID"),
    # "held exercises" without a partner is no cooperation
    ("Russia held naval exercises in the Baltic Sea on Friday.", "COOPERATE"),
    # "pledged to" a defiant act is no AGREE
    ("The union pledged to continue the strike until pay is raised.", "AGREE"),
    # "admitted" with an object is a hospital or a school, not an admission of fault
    ("The hospital in Lyon admitted forty patients overnight.", "CONCEDE"),
    # "returned to" a place that is not a base is no withdrawal
    ("The Ghanaian president returned to Accra on Sunday.", "RETREAT"),
    # paying respects at a shrine names no one who is supported
    ("The visiting minister paid his respects at the shrine on Friday.", "SUPPORT"),
    # round 2: orders to one's own people and expulsions are no requests
    ("The army ordered residents of the town to evacuate on Monday.", "REQUEST"),
    ("Nigeria ordered diplomats from Niger to leave the country.", "REQUEST"),
    # a truce between sides is an agreement, not a unilateral ceasefire
    ("A truce between Armenia and Azerbaijan held on Tuesday.", "RETREAT"),
    # proposing that the other side stop is a request, not an agreement
    ("Armenia proposed a ceasefire to Azerbaijan on Monday.", "AGREE"),
    # an announced end of cooperation is a break of ties, not a concession
    ("Chad announced that it was ending its defence cooperation agreement with France.", "CONCEDE"),
    # a commitment to a principle names no one supported
    ("France reaffirmed its commitment to press freedom.", "SUPPORT"),
    # residents leaving a village flee; only troops vacating a place retreat
    ("Frightened residents abandoned the village before dawn.", "RETREAT"),
    # two sides agreeing to stop or meet is an agreement, not a concession
    ("Serbia and Kosovo agreed to stop the shooting at midnight.", "CONCEDE"),
    ("The Peruvian president agreed to meet the protest leaders on Monday.", "CONCEDE"),
    # aid needs people fed, a destination for a convoy, a recipient for arms
    ("The Portuguese ambassador fed a copy of the report into a shredder.", "AID"),
    ("Kenya's governor, who led a convoy from Nakuru, spoke to reporters.", "AID"),
    ("The Houthis used the port of Hodeidah to transfer weapons and fighters.", "AID"),
    # landing people somewhere is no visit
    ("A Spanish coast guard ship landed 40 migrants in Malta on Friday.", "CONSULT"),
]


@pytest.mark.parametrize(("text", "etype"), NOT_CASES,
                         ids=[f"not-{c[1]}-{i}" for i, c in enumerate(NOT_CASES)])
def test_narrow_readings_stay_narrow(pipeline: Any, text: str, etype: str) -> None:
    got = [(e.event, e.mode, e.trigger) for e in _coded(pipeline, text)]
    assert not any(t == etype for t, _, _ in got), (text, got)


def test_moved_readings_live_in_one_type_only() -> None:
    lex = Lexicon.load()
    accept = {r.event for r in lex.verb_readings("accept") if r.objects & {"truce", "proposal"}}
    grant = {r.event for r in lex.verb_readings("grant") if "asylum" in r.objects}
    assert accept == {"AGREE"}
    assert grant == {"AID"}
