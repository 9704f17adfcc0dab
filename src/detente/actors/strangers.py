"""People the dictionary does not know: their ids, the country of the titled ones, past offices.

:func:`person_slug` gives a stranger's id, the same for the usual spelling variants;
:func:`focus_for_titled` gives titled strangers whose title names no country the document's focus;
:func:`formerly` tells a past office ("former President X") from a present one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from detente.actors.generic import focus_country
from detente.actors.normalise import normalise_name, slug
from detente.model import Mention

__all__ = ["focus_for_titled", "formerly", "person_slug"]

_FORMER = frozenset({"former", "ex", "retired", "ousted", "deposed", "toppled", "exiled", "late"})


def formerly(doc: Doc, start: int, end: int) -> bool:
    """Do the titles of a stranger (tokens ``start:end``, and the two before) say the office is
    past? "former U.S. Marine X", "ex-President X", "ousted President X": the person holds none now."""
    return any(t.lower_ in _FORMER for t in doc[max(0, start - 2):end])


def focus_for_titled(mentions: list[Mention]) -> list[Mention]:
    """Titled people the dictionary does not know and whose title names no country ("Interior
    Minister Jane Roe", "Army chief General X") are of the document's focus country, with
    ``country_how`` "focus" (and the state's sector, GOV, when the title names none); their later
    surname mentions follow. People named with a country ("Kenyan President X") or known to the
    dictionary keep theirs."""
    strangers = {m.actor_id for m in mentions if m.kind == "person" and m.how == "title" and m.code is None
                 and m.actor_id and m.actor_id.startswith("person:")}
    if not strangers:
        return mentions
    focus = focus_country(mentions)
    if focus is None:
        return mentions
    # a title that names no body ("chief X", "Director X") is the state's, as with a country named
    return [replace(m, code=focus, country_how="focus", sector=m.sector or "GOV")
            if m.actor_id in strangers and m.code is None and not m.is_place else m for m in mentions]


_FINAL_YY = re.compile(r"(?:yy|iy|ii)$")


def person_slug(name: str, particles: frozenset[str]) -> str:
    """The id of a person the dictionary does not know, the same for the usual spelling variants.

    Particles are glued to the next word and a final -yy/-iy/-ii is -y: "Badr al-Busaidi" and
    "Badr Albusaidi" are ``badr-albusaidi``, "Zelenskyy", "Zelenskiy" and "Zelensky" ``zelensky``.
    """
    words = normalise_name(name).split()
    out: list[str] = []
    glue = ""
    for word in words:
        if word in particles and word not in ("bin", "ibn", "bint"):
            glue += word
            continue
        out.append(_FINAL_YY.sub("y", glue + word))
        glue = ""
    if glue:
        out.append(glue)
    return "-".join(out) or slug(name)
