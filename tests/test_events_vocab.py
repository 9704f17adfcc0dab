"""Issue 10, round 4: the causes behind the weakest types (THREATEN, ACCUSE, AID, MOBILIZE, RETREAT,
SANCTION), one sentence per shape, run through the whole pipeline.

The sentences are written for these tests (none is taken from a corpus or an eval set).
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import happened
from detente.errors import DataFileError
from detente.events.lexicon import Lexicon


def _real(pipeline: Any, text: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(type, actor codes, recipient codes) of the unflagged events of ``text``."""
    return [(e.event, tuple(sorted(str(a.code) for a in e.actor)),
             tuple(sorted(str(r.code) for r in e.recipient))) for e in happened(pipeline, text, "2024-05-02")]


def _types(pipeline: Any, text: str) -> set[str]:
    return {t for t, _, _ in _real(pipeline, text)}


@pytest.mark.parametrize(("text", "want"), [
    # foretold suffering, said by the speaker (events/threats.py)
    ("Tehran said Washington would pay a heavy price.", ("THREATEN", ("IRN",), ("USA",))),
    ("Pakistan said it will not tolerate any aggression from Afghanistan.", ("THREATEN", ("PAK",), ("AFG",))),
    ("Lima warned that Quito would face the consequences.", ("THREATEN", ("PER",), ("ECU",))),
    # accusations without an accusing verb (events/accusations.py)
    ("Kyiv said Russia had violated the ceasefire.", ("ACCUSE", ("UKR",), ("RUS",))),
    ("Nairobi said Mogadishu was meddling in its internal affairs.", ("ACCUSE", ("KEN",), ("SOM",))),
    ("Israel said Lebanon had not enforced the agreement.", ("ACCUSE", ("ISR",), ("LBN",))),
    ("China described the visit by the Japanese minister as a provocation.", ("ACCUSE", ("CHN",), ("JPN",))),
    # the speaker's verb misparsed into the reported clause
    ("Ukrainian officials said the exchange would take place within days, and accused Moscow of sending "
     "a junior delegation.", ("ACCUSE", ("UKR",), ("RUS",))),
    ("The Russian spokeswoman said Moscow would respond, accusing Chisinau of destroying bilateral "
     "relations.", ("ACCUSE", ("RUS",), ("MDA",))),
    # aid told from the side that gets it; aid arriving; aid passives
    ("Pakistan received a deposit of two billion dollars from Saudi Arabia.", ("AID", ("SAU",), ("PAK",))),
    ("Japan received its first shipment of vaccines from Australia.", ("AID", ("AUS",), ("JPN",))),
    ("Rescue teams from Egypt reached the Libyan city of Derna.", ("AID", ("EGY",), ("LBY",))),
    ("Food was delivered to Sudan.", ("AID", (), ("SDN",))),
    # forces on the move
    ("Chilean troops crossed into Peru on Sunday.", ("MOBILIZE", ("CHL",), ("PER",))),
    ("Kenyan soldiers arrived in Haiti on Tuesday.", ("MOBILIZE", ("KEN",), ("HTI",))),
    # SANCTION (CAMEO 16)
    ("Washington cut off aid to Niger.", ("SANCTION", ("USA",), ("NER",))),
    ("Washington cancelled the arms deal with Ankara.", ("SANCTION", ("USA",), ("TUR",))),
    ("Britain deported two Russian diplomats.", ("SANCTION", ("GBR",), ("RUS",))),
    ("The EU excluded Russian banks from SWIFT.", ("SANCTION", ("EEC",), ("RUS",))),
    ("Mali gave the French ambassador 72 hours to leave the country.", ("SANCTION", ("MLI",), ("FRA",))),
    # RETREAT
    ("Russia returned the children to Ukraine.", ("RETREAT", ("RUS",), ("UKR",))),
    ("Kenya reopened its border with Somalia.", ("RETREAT", ("KEN",), ("SOM",))),
    # "they" stands for the group named before it
    ("Hezbollah said they would fight Israel to the end.", ("THREATEN", ("LBN",), ("ISR",))),
], ids=["pay-price", "not-tolerate", "face-consequences", "said-violated", "said-meddling",
        "said-not-enforced", "described-as", "conj-after-modal", "participle-after-modal", "received-from",
        "shipment-from", "rescuers-reached", "aid-passive", "troops-crossed", "soldiers-arrived",
        "aid-cut-off", "deal-cancelled", "diplomats-deported", "excluded-from-swift", "hours-to-leave",
        "children-returned", "border-reopened", "they-group"])
def test_round4_shape(pipeline: Any, text: str, want: tuple[str, tuple[str, ...], tuple[str, ...]]) -> None:
    got = _real(pipeline, text)
    assert want in got, (text, got)


@pytest.mark.parametrize(("text", "wrong"), [
    ("India said it paid a heavy price.", "THREATEN"),  # no modal: a past suffering, no threat
    ("Kyiv said Russia would violate the ceasefire.", "ACCUSE"),  # a prediction, not a charge
    ("Japan said the talks were constructive.", "ACCUSE"),
    ("The British Foreign Office called the accusations baseless.", "ACCUSE"),  # a denial
    ("The delegation crossed into Jordan.", "MOBILIZE"),  # not forces
    ("General Asim Munir arrived in Tehran on Sunday.", "MOBILIZE"),  # an officer visits
    ("Frightened residents abandoned the village before dawn.", "RETREAT"),  # not forces leaving
    ("Israel cut off electricity to Gaza.", "SANCTION"),  # a siege (COERCE)
    ("The two security chiefs agreed on the withdrawal of troops from the border.", "RETREAT"),  # agreed only
    ("Pakistan offered to mediate between the United States and Iran.", "REJECT"),
    ("Crowds took to the streets of Libreville to celebrate the result.", "PROTEST"),  # a celebration
    ("About 1,000 American soldiers are stationed in Niger.", "MOBILIZE"),  # how things stand
], ids=["past-price", "future-wrong", "praise", "denial", "delegation", "officer", "residents", "siege",
        "agreed-on", "offer-stays", "celebration", "stationed-state"])
def test_round4_shape_not_coded(pipeline: Any, text: str, wrong: str) -> None:
    assert wrong not in _types(pipeline, text), (text, _real(pipeline, text))


def test_passive_release_is_the_states(pipeline: Any) -> None:
    """"Prisoners were released" (no agent): RETREAT by the state, as arrests are COERCE by it."""
    got = _real(pipeline, "In Tehran, three journalists were freed on Monday.")
    assert ("RETREAT", ("IRN",), ("IRN",)) in got, got


def test_partitive_object_meets_the_reading(pipeline: Any) -> None:
    got = _types(pipeline, "Beijing said it would suspend some of its countermeasures against US firms.")
    assert "RETREAT" in got, got


def test_new_cue_lists_and_fields_are_validated() -> None:
    lex = Lexicon.load()
    assert "pay price" in lex.cues.threat_predicates and "not go unanswered" in lex.cues.threat_predicates
    assert "violate" in lex.cues.wrongdoing_verbs and "provocative" in lex.cues.disapproval_words
    assert "they" in lex.cues.plural_pronouns
    assert "AID" in lex.unknown_agent_types and "RETREAT" in lex.state_agent_types
    receive = [r for r in lex.verb_readings("receive") if r.event == "AID" and "deposit" in r.objects]
    assert receive and all(r.subject == "recipient" for r in receive)
    with pytest.raises(DataFileError, match="subject"):
        Lexicon.from_text("version: 1\nnouns:\n  - {lemma: gift, event: AID, subject: recipient}\n")
    with pytest.raises(DataFileError, match="passive_agent"):
        Lexicon.from_text("version: 1\ntype: AID\npassive_agent: someone\n")
    with pytest.raises(DataFileError, match="condition"):
        Lexicon.from_text("version: 1\nverbs:\n"
                          "  - {lemma: roll, event: MOBILIZE, requires: [tank-subject]}\n")


def test_a_signing_told_again_is_coded_once(pipeline: Any) -> None:
    text = ("Chile and Peru signed a fisheries pact on Monday. The Chilean president and Peru's "
            "prime minister signed the pact at the palace.")
    got = [t for t, _, _ in _real(pipeline, text)]
    assert got.count("AGREE") == 1, _real(pipeline, text)


def test_the_happening_a_retaliation_answers_is_a_reason(pipeline: Any) -> None:
    text = ("Chad struck rebel bases in Libya in retaliation for weeks of attacks by the rebels on "
            "Chadian towns.")
    assert [t for t, _, _ in _real(pipeline, text)].count("ASSAULT") == 1, _real(pipeline, text)


@pytest.mark.parametrize("text", [
    "The Saudi minister said he looked forward to meeting his Iranian counterpart.",
    "The agreement paves the way for a meeting between the Indian and Chinese leaders.",
])
def test_meetings_not_yet_held(pipeline: Any, text: str) -> None:
    assert "CONSULT" not in _types(pipeline, text), _real(pipeline, text)


def test_a_rejection_promised_is_the_rejection(pipeline: Any) -> None:
    """"vowed to veto the bill": a verbal act (``verbal_types``) is done by saying it will be."""
    got = _types(pipeline, "The Georgian president vowed to veto the bill on Tuesday.")
    assert "REJECT" in got, _real(pipeline, "The Georgian president vowed to veto the bill on Tuesday.")


def test_force_authorised_is_a_threat(pipeline: Any) -> None:
    got = _real(pipeline, "Kazakhstan authorised its troops to shoot protesters in Almaty.")
    assert any(t == "THREATEN" for t, _, _ in got) and not any(t == "ASSAULT" for t, _, _ in got), got
