"""Multi-article stores for the link and analysis tests, built by hand (no spaCy).

Texts are written for these tests; facts loosely follow Iran-Pakistan news of January 2024.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from builders import article, event, mention, processed, ref
from detente.link import link_events
from detente.model import Article, Event, Mention, Place
from detente.store import Store

IRN, PAK = ref("IRN", "Iran"), ref("PAK", "Pakistan")
CHN, TUR, SAU, QAT, AZE = (ref("CHN", "China"), ref("TUR", "Turkey"), ref("SAU", "Saudi Arabia"),
                           ref("QAT", "Qatar"), ref("AZE", "Azerbaijan"))


@dataclass
class Built:
    """A store and the events written to it, by a short name."""

    store: Store
    events: dict[str, Event] = field(default_factory=dict)
    docs: dict[str, Article] = field(default_factory=dict)


def _write(store: Store, art: Article, evs: list[Event], ments: list[Mention] | None = None) -> None:
    store.write(processed(art, evs, ments))


def _strike(art: Article, sentence: str, actor: list, recipient: list, trigger: str, date: str,
            **kw: object) -> Event:
    return event(art, sentence, "ASSAULT", actor, recipient, trigger, date, goldstein=-10.0, quad=4,
                 **kw)  # type: ignore[arg-type]


# -- linking -------------------------------------------------------------------------------------
def link_store() -> Built:
    """The same phone call in two documents; two strikes a month apart; a month-only mention."""
    s = Store(":memory:")
    b = Built(s)
    a1 = article("Pakistan's foreign minister called his Iranian counterpart on Jan. 22. "
                 "Iranian missiles hit a village in Panjgur on Jan. 16", "2024-01-23", path="one.txt")
    a2 = article("Iran's foreign minister spoke by telephone with the Pakistani foreign minister on "
                 "Monday. Iran carried out strikes in Pakistan in January", "2024-01-24",
                 path="two.txt")
    a3 = article("Iranian drones struck a camp in Panjgur on Feb. 16", "2024-02-17", path="three.txt")
    panjgur = Place("Panjgur", "PAK", "Balochistan", 26.97, 64.09, 1168446)
    b.events["call1"] = event(a1, "Pakistan's foreign minister called his Iranian counterpart on Jan. 22",
                              "CONSULT", [PAK], [IRN], "called", "2024-01-22")
    b.events["jan"] = _strike(a1, "Iranian missiles hit a village in Panjgur on Jan. 16", [IRN], [PAK],
                              "hit", "2024-01-16", place=panjgur)
    b.events["call2"] = event(a2, "Iran's foreign minister spoke by telephone with the Pakistani "
                              "foreign minister on Monday", "CONSULT", [IRN], [PAK], "spoke",
                              "2024-01-22")
    b.events["jan_month"] = _strike(a2, "Iran carried out strikes in Pakistan in January", [IRN], [PAK],
                                    "strikes", "2024-01")
    b.events["feb"] = _strike(a3, "Iranian drones struck a camp in Panjgur on Feb. 16", [IRN], [PAK],
                              "struck", "2024-02-16", place=panjgur)
    _write(s, a1, [b.events["call1"], b.events["jan"]])
    _write(s, a2, [b.events["call2"], b.events["jan_month"]])
    _write(s, a3, [b.events["feb"]])
    b.docs.update(one=a1, two=a2, three=a3)
    return b


# -- mediation triads ----------------------------------------------------------------------------
def triad_store(kind: str, store: Store | None = None) -> Built:
    """A store (``store``, else a new one in memory) holding one mediation triad of ``kind`` (and
    nothing that makes another)."""
    s = store or Store(":memory:")
    b = Built(s)
    if kind == "offer":
        a = article("Turkey offered to mediate between Iran and Pakistan on Jan. 19", "2024-01-20",
                    path="offer.txt")
        ev = event(a, "Turkey offered to mediate between Iran and Pakistan on Jan. 19", "CONSULT",
                   [IRN], [PAK], "offered", "2024-01-19", mediator=[TUR])
        ev.mode, ev.hypothetical = "third-party", True
        b.events["offer"] = ev
        _write(s, a, [ev])
    elif kind == "offer-no-mediator":
        a = article("Qatar offered to mediate between Iran and Pakistan on Jan. 20", "2024-01-21",
                    path="offer2.txt")
        b.events["offer"] = event(a, "Qatar offered to mediate between Iran and Pakistan on Jan. 20",
                                  "SUPPORT", [QAT], [IRN, PAK], "offered", "2024-01-20")
        _write(s, a, [b.events["offer"]])
    elif kind == "brokered":
        a = article("Iran and Pakistan signed a border security deal brokered by China on Feb. 2",
                    "2024-02-03", path="brokered.txt")
        b.events["agree"] = event(a, "Iran and Pakistan signed a border security deal brokered by "
                                  "China on Feb. 2", "AGREE", [IRN], [PAK], "signed", "2024-02-02",
                                  mediator=[CHN], goldstein=4.0)
        _write(s, a, [b.events["agree"]])
    elif kind == "facilitated":
        a = article("Saudi Arabia facilitated talks between Iran and Pakistan in Riyadh in January",
                    "2024-02-01", path="facilitated.txt")
        ev = event(a, "Saudi Arabia facilitated talks between Iran and Pakistan in Riyadh in January",
                   "CONSULT", [IRN], [PAK], "talks", "2024-01", mediator=[SAU])
        ev.mode = "third-party"
        b.events["talks"] = ev
        _write(s, a, [ev])
    elif kind == "engagement":
        a = article("Iranian missiles struck Panjgur on Jan. 16. China urged Iran and Pakistan to "
                    "exercise restraint on Jan. 17", "2024-01-18", path="engagement.txt")
        b.events["strike"] = _strike(a, "Iranian missiles struck Panjgur on Jan. 16", [IRN], [PAK],
                                     "struck", "2024-01-16")
        b.events["urge"] = event(a, "China urged Iran and Pakistan to exercise restraint on Jan. 17",
                                 "REQUEST", [CHN], [IRN, PAK], "urged", "2024-01-17", goldstein=3.0)
        _write(s, a, [b.events["strike"], b.events["urge"]])
    elif kind in ("shuttle", "shuttle-too-late", "shuttle-belligerent"):
        when = "2023-11-01" if kind == "shuttle-too-late" else "2024-01-18"
        a = article("Pakistani jets struck hideouts in Saravan. The Turkish foreign minister met "
                    "Iranian officials in Tehran on Jan. 20", "2024-01-21", path="shuttle1.txt")
        a2 = article("The Turkish foreign minister held talks in Islamabad with Pakistani leaders on "
                     "Jan. 23. Azerbaijan's envoy met the Turkish foreign minister on Jan. 25",
                     "2024-01-24", path="shuttle2.txt")
        b.events["strike"] = _strike(a, "Pakistani jets struck hideouts in Saravan", [PAK], [IRN],
                                     "struck", when)
        b.events["visit_irn"] = event(a, "The Turkish foreign minister met Iranian officials in Tehran "
                                      "on Jan. 20", "CONSULT", [TUR], [IRN], "met", "2024-01-20")
        b.events["visit_pak"] = event(a2, "The Turkish foreign minister held talks in Islamabad with "
                                      "Pakistani leaders on Jan. 23", "CONSULT", [TUR], [PAK], "talks",
                                      "2024-01-23")
        b.events["aze"] = event(a2, "Azerbaijan's envoy met the Turkish foreign minister on Jan. 25",
                                "CONSULT", [AZE], [TUR], "met", "2024-01-25")
        _write(s, a, [b.events["strike"], b.events["visit_irn"]])
        _write(s, a2, [b.events["visit_pak"], b.events["aze"]])
        if kind == "shuttle-belligerent":  # Turkey itself struck Iran six weeks before its visits
            a3 = article("Turkish drones struck a convoy near Urmia on Dec. 8", "2023-12-09",
                         path="shuttle3.txt")
            b.events["own_strike"] = _strike(a3, "Turkish drones struck a convoy near Urmia on Dec. 8",
                                             [TUR], [IRN], "struck", "2023-12-08")
            _write(s, a3, [b.events["own_strike"]])
    else:
        raise ValueError(kind)
    return b


# -- a dyad with a turning point -------------------------------------------------------------------
def dyad_store() -> Built:
    """Talks in December; strikes Jan 16-18 (one reported twice); talks and a deal Jan 22-29."""
    s = Store(":memory:")
    b = Built(s)
    a0 = article("Pakistan and Iran held consultations in Tehran on Dec. 5", "2023-12-06",
                 path="dec.txt")
    a1 = article("Iran struck targets in Panjgur on Jan. 16. Pakistan recalled its ambassador on Jan. 17. "
                 "Pakistan struck militants in Saravan on Jan. 18", "2024-01-19", path="strikes.txt")
    a2 = article("Iranian missiles hit Panjgur on Jan. 16, Pakistani officials said", "2024-01-17",
                 path="strikes2.txt")
    a3 = article("The Pakistani foreign minister phoned his Iranian counterpart on Jan. 22. "
                 "Iran and Pakistan agreed on Jan. 29 to return their ambassadors. "
                 "The Iranian foreign minister held talks with Pakistani leaders in Islamabad on Jan. 29",
                 "2024-01-30", path="talks.txt")
    ev = b.events
    ev["dec"] = event(a0, "Pakistan and Iran held consultations in Tehran on Dec. 5", "CONSULT", [PAK],
                      [IRN], "consultations", "2023-12-05", goldstein=1.0)
    ev["strike16"] = _strike(a1, "Iran struck targets in Panjgur on Jan. 16", [IRN], [PAK], "struck",
                             "2024-01-16")
    ev["recall"] = event(a1, "Pakistan recalled its ambassador on Jan. 17", "SANCTION", [PAK], [IRN],
                         "recalled", "2024-01-17", goldstein=-4.0, quad=4)
    ev["strike18"] = _strike(a1, "Pakistan struck militants in Saravan on Jan. 18", [PAK], [IRN],
                             "struck", "2024-01-18")
    ev["strike16b"] = _strike(a2, "Iranian missiles hit Panjgur on Jan. 16, Pakistani officials said",
                              [IRN], [PAK], "hit", "2024-01-16")
    ev["call"] = event(a3, "The Pakistani foreign minister phoned his Iranian counterpart on Jan. 22",
                       "CONSULT", [PAK], [IRN], "phoned", "2024-01-22", goldstein=1.0)
    ev["deal"] = event(a3, "Iran and Pakistan agreed on Jan. 29 to return their ambassadors", "AGREE",
                       [IRN], [PAK], "agreed", "2024-01-29", goldstein=4.0)
    ev["visit"] = event(a3, "The Iranian foreign minister held talks with Pakistani leaders in "
                        "Islamabad on Jan. 29", "CONSULT", [IRN], [PAK], "talks", "2024-01-29",
                        goldstein=1.0)
    _write(s, a0, [ev["dec"]])
    _write(s, a1, [ev["strike16"], ev["recall"], ev["strike18"]])
    _write(s, a2, [ev["strike16b"]])
    _write(s, a3, [ev["call"], ev["deal"], ev["visit"]])
    return b


# -- disagreements -------------------------------------------------------------------------------
def claims_store() -> Built:
    """Four documents that disagree on the border's length, a strike's dead and date, a share."""
    s = Store(":memory:")
    b = Built(s)
    da = article("Iran and Pakistan share a 909-kilometer border. Iranian missiles struck a village in "
                 "Panjgur on January 16, killing 9 people", "2024-02-01", path="da.txt")
    db = article("The border between the two countries runs for 959 km. Iran's strike on Panjgur in "
                 "Pakistan on January 17 killed seven civilians", "2024-02-03", path="db.txt")
    dc = article("Iran and Pakistan share a frontier of around 900 kilometres. Shia Muslims make up "
                 "15-20 percent of Pakistan's population", "2024-02-05", path="dc.txt")
    dd = article("Shia Muslims make up about 10 percent of the population, a census found. Nine "
                 "ministers attended the meeting", "2024-02-07", path="dd.txt")
    b.events["strike_a"] = _strike(da, "Iranian missiles struck a village in Panjgur on January 16, killing "
                                   "9 people", [IRN], [PAK], "struck", "2024-01-16")
    b.events["strike_b"] = _strike(db, "Iran's strike on Panjgur in Pakistan on January 17 killed seven "
                                   "civilians", [IRN], [PAK], "strike", "2024-01-17")
    _write(s, da, [b.events["strike_a"]],
           [mention(da, "Iran", "IRN", "IRN", "Iran"), mention(da, "Pakistan", "PAK", "PAK", "Pakistan")])
    _write(s, db, [b.events["strike_b"]],
           [mention(db, "Iran", "IRN", "IRN", "Iran"), mention(db, "Pakistan", "PAK", "PAK", "Pakistan")])
    _write(s, dc, [], [mention(dc, "Iran", "IRN", "IRN", "Iran"),
                       mention(dc, "Pakistan", "PAK", "PAK", "Pakistan")])
    _write(s, dd, [])
    b.docs.update(a=da, b=db, c=dc, d=dd)
    link_events(s)  # as ingest ends
    return b


# -- one-event engagement, undated triads, quoted reports ------------------------------------------
def one_event_store(kind: str, *, dated: bool = False, far: bool = False,
                    elsewhere: bool = False, pressed: bool = False) -> Built:
    """A third party acting on both sides at once (``kind`` its PLOVER type) and a strike.

    ``dated``: the third party's event has its own date (Jan. 18); ``far``: the strike is in
    another document, a year earlier, so no crisis is near; ``elsewhere``: the strike is in
    another document of the same days; ``pressed``: the third party also threatens in the
    sentence of its contacts.
    """
    s = Store(":memory:")
    b = Built(s)
    a = article("Iranian missiles struck Panjgur on Jan. 16. Ankara engaged both Tehran and "
                "Islamabad to calm the crisis", "2024-01-29", path="one-event.txt")
    ev = event(a, "Ankara engaged both Tehran and Islamabad to calm the crisis", kind, [TUR],
               [IRN, PAK], "engaged", "2024-01-18" if dated else None, goldstein=3.0)
    b.events["third"] = ev
    extra = [event(a, "Ankara engaged both Tehran and Islamabad to calm the crisis", "THREATEN",
                   [TUR], [], "engaged", None)] if pressed else []
    if far or elsewhere:
        old = article("Iranian missiles struck Panjgur on Jan. 16",
                      "2023-01-17" if far else "2024-01-17", path="old.txt")
        b.events["strike"] = _strike(old, "Iranian missiles struck Panjgur on Jan. 16", [IRN], [PAK],
                                     "struck", "2023-01-16" if far else "2024-01-16")
        _write(s, old, [b.events["strike"]])
        _write(s, a, [ev, *extra])
    else:
        b.events["strike"] = _strike(a, "Iranian missiles struck Panjgur on Jan. 16", [IRN], [PAK],
                                     "struck", "2024-01-16")
        _write(s, a, [b.events["strike"], ev, *extra])
    return b


def undated_offer_store(with_conflict: bool) -> Built:
    """Two undated offers by one mediator in one article (the parties named in either order)."""
    s = Store(":memory:")
    b = Built(s)
    a = article("American drones killed an Iranian general on Jan. 3. Islamabad offered to mediate "
                "between Washington and Tehran. Khan offered to mediate between Tehran and "
                "Washington", "2020-01-13", path="offers.txt")
    evs = []
    if with_conflict:
        b.events["strike"] = _strike(a, "American drones killed an Iranian general on Jan. 3",
                                     [ref("USA", "United States")], [IRN], "killed", "2020-01-03")
        evs.append(b.events["strike"])
    for name, sentence, actor, recipient in (
            ("offer1", "Islamabad offered to mediate between Washington and Tehran",
             ref("USA", "United States"), IRN),
            ("offer2", "Khan offered to mediate between Tehran and Washington", IRN,
             ref("USA", "United States"))):
        ev = event(a, sentence, "CONSULT", [actor], [recipient], "offered", None, mediator=[PAK])
        ev.mode, ev.hypothetical = "third-party", True
        b.events[name] = ev
        evs.append(ev)
    _write(s, a, evs)
    return b


POMPEO = ref("USA", "Mike Pompeo", identifier="mike-pompeo")
ESPER = ref("USA", "Mark Esper", identifier="mark-esper")
BAJWA = ref("PAK", "Qamar Javed Bajwa", sector="MIL", identifier="qamar-javed-bajwa")


def quoted_call_store() -> Built:
    """One call told by a dated article and by an undated one quoting the same tweet; another
    call (a different caller) and an unrelated undated call in the undated article."""
    s = Store(":memory:")
    b = Built(s)
    tweet = "the general and I spoke today about the strike that killed the commander"
    a1 = article(f"Pompeo tweeted on Jan. 3 that {tweet}. Esper also spoke with the general",
                 "2020-01-13", path="dated.txt")
    a2 = article(f"The secretary wrote: {tweet}. Later the secretary phoned Pakistan again",
                 None, path="undated.txt")
    b.events["dated"] = event(a1, f"Pompeo tweeted on Jan. 3 that {tweet}", "CONSULT", [POMPEO],
                              [BAJWA], "spoke", "2020-01-03")
    b.events["esper"] = event(a1, "Esper also spoke with the general", "CONSULT", [ESPER], [BAJWA],
                              "spoke", None)
    b.events["quoted"] = event(a2, f"The secretary wrote: {tweet}", "CONSULT", [POMPEO], [PAK],
                               "spoke", None)
    b.events["again"] = event(a2, "Later the secretary phoned Pakistan again", "CONSULT",
                              [ref("USA", "United States")], [ref("PAK", "Pakistan")], "phoned", None)
    _write(s, a1, [b.events["dated"], b.events["esper"]])
    _write(s, a2, [b.events["quoted"], b.events["again"]])
    b.docs.update(dated=a1, undated=a2)
    return b


def sentence_store() -> Built:
    """Strikes between Iran and Pakistan; a third party offering mediation and one urging
    restraint in sentences with no coded event (only actor mentions)."""
    s = Store(":memory:")
    b = Built(s)
    a = article("Iranian missiles struck Panjgur on Jan. 16. Pakistani jets struck Saravan on Jan. 18. "
                "Beijing's spokeswoman stepped forward offering mediation. The UN chief urged both "
                "nations to exercise restraint. Pakistan offered mediation talks", "2024-01-29",
                path="sentences.txt")
    b.events["strike1"] = _strike(a, "Iranian missiles struck Panjgur on Jan. 16", [IRN], [PAK],
                                  "struck", "2024-01-16")
    b.events["strike2"] = _strike(a, "Pakistani jets struck Saravan on Jan. 18", [PAK], [IRN],
                                  "struck", "2024-01-18")
    ments = [mention(a, "Beijing", "CHN", "CHN", "China", kind="capital"),
             mention(a, "UN", "UNO", "UNO", "United Nations", sector="IGO", kind="igo"),
             mention(a, "Pakistan offered", "PAK", "PAK", "Pakistan")]
    _write(s, a, [b.events["strike1"], b.events["strike2"]], ments)
    b.docs["a"] = a
    return b


# -- mediation wording, read from sentences -------------------------------------------------------
def sentence_frames(doc: str, sentences: list[str],
                    mentions: list[tuple[int, str, str, bool, str]]) -> tuple[Any, Any]:
    """Sentence and mention frames (as :class:`LinkStore` returns them) for
    :func:`detente.link.mediation.read_mediation`: ``mentions`` are ``(sentence index, surface, code,
    is_place, kind)``, each the first occurrence of its surface after the previous mention of the
    same sentence."""
    import pandas as pd

    rows, starts, pos = [], [], 0
    for i, text in enumerate(sentences):
        starts.append(pos)
        rows.append({"doc_id": doc, "sentence_index": i, "char_start": pos,
                     "char_end": pos + len(text), "text": text})
        pos += len(text) + 1
    ments, last = [], {}
    for i, surface, code, is_place, kind in mentions:
        at = sentences[i].index(surface, last.get(i, 0))
        last[i] = at + len(surface)
        ments.append({"doc_id": doc, "sentence_index": i, "char_start": starts[i] + at,
                      "char_end": starts[i] + at + len(surface), "code": code,
                      "is_place": is_place, "kind": kind})
    return pd.DataFrame(rows), pd.DataFrame(ments, columns=["doc_id", "sentence_index", "char_start",
                                                            "char_end", "code", "is_place", "kind"])


def distance_store() -> Built:
    """A border length in one article, a distance from the border in another."""
    s = Store(":memory:")
    b = Built(s)
    da = article("Iran and Pakistan share a 909 km border.", "2024-02-01", path="length.txt")
    db = article("The camp in Pakistan lies a few dozen kilometres from the border with Iran.",
                 "2024-02-03", path="distance.txt")
    for art in (da, db):
        _write(s, art, [], [mention(art, "Iran", "IRN", "IRN", "Iran"),
                            mention(art, "Pakistan", "PAK", "PAK", "Pakistan")])
        b.docs[art.path] = art
    return b
