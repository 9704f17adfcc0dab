"""Text of an article that names no actor: credits, bylines, datelines' agencies, headlines.

:func:`skipped_ranges` finds photo credits, bylines and the "Recommended Articles" tail;
:func:`headline_ranges` the title-case lines whose capitals name no one; :func:`author_keys` the
article's own authors, who are no actors of the story.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from detente.actors.normalise import TitleTable, compact_key, normalise_name
from detente.actors.segments import Seg

__all__ = ["author_keys", "headline_ranges", "in_headline", "is_credit", "skipped_ranges"]

_BYLINE = re.compile(r"^\s*by\s+\S+(?:\s+\S+){0,5}\s*$", re.IGNORECASE)
# "Jane Doe, The Example Times, May 2, 2022 —": names, an outlet and a date, comma-separated
_DATED_BYLINE = re.compile(r"^[^.!?]{3,80},[^.!?]{0,40}\b(?:1[89]|20)\d\d\s*(?:[-\u2013\u2014]\s*)?$")
_DATELINE_AGENCY = re.compile(
    r"^\s*[A-Z][A-Z .'\u2019-]{2,}[^()\n]{0,40}\(([^()\n]{2,40})\)\s*[-\u2013\u2014:]")
_HEADLINE_END = frozenset('.?!;:"\u201d\u2019)')


def skipped_ranges(text: str, titles: TitleTable) -> list[tuple[int, int]]:
    """Character ranges whose names are not actors: photo credits, bylines, "Recommended Articles".

    A credit runs from a credit lead ("Photo by") at the start of a line, after "(", "[" or a full
    stop, to the end of the line; a line of ``|``-separated fields ("Jane Doe | Iran | Nov 17,
    2020"), a short "By Jane Doe" line or a line of comma-separated names ending in a date ("Jane
    Doe, The Times, May 2, 2022 —") is a byline; a heading such as "Recommended Articles"
    ends the article (what follows lists other stories).
    """
    ranges: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        body = line.strip()
        if not body:
            continue
        if normalise_name(body) in titles.end_headings:
            ranges.append((start, len(text)))
            break
        if body.count("|") >= 2 or _BYLINE.match(body) or _DATED_BYLINE.match(body):
            ranges.append((start, end))
            continue
        agency = _DATELINE_AGENCY.match(line)
        if agency:  # "DAMASCUS, Dec. 9, 2024 (Levant Desk) —": the agency is no actor
            ranges.append((start + agency.start(1), start + agency.end(1)))
        lower = line[:end - start].lower()
        for lead in titles.credit_leads:
            at = lower.find(lead)
            while at >= 0:
                before = lower[:at].rstrip(" \t")
                if not before or before[-1] in "([." or before.endswith("\u2014"):
                    ranges.append((start + at, end))
                    break
                at = lower.find(lead, at + 1)
    return ranges


def in_headline(doc: Doc, seg: Seg, headlines: list[tuple[int, int]]) -> bool:
    """Is ``seg`` an unknown name inside a title-case headline ("Deadly Clashes Erupt in Sudan")?"""
    a = doc[seg.start].idx
    return any(lo <= a < hi for lo, hi in headlines)


def is_credit(doc: Doc, seg: Seg, skipped: list[tuple[int, int]], authors: frozenset[str]) -> bool:
    """Is ``seg`` part of a credit or byline (not an actor of the story)?"""
    a = doc[seg.start].idx
    if any(lo <= a < hi for lo, hi in skipped):
        return True
    if seg.kind != "name":
        return False
    # "REUTERS/Jonathan Ernst": a name glued to "AGENCY/" is a photographer
    if seg.start >= 2 and doc[seg.start - 1].text == "/" and not doc[seg.start - 2].whitespace_ \
            and doc[seg.start - 2].text.isupper():
        return True
    return bool(authors) and compact_key(doc[seg.start:seg.end].text) in authors


def headline_ranges(text: str, particles: frozenset[str]) -> list[tuple[int, int]]:
    """Character ranges of title-case lines: headlines and subheads, whose capitals name no one.

    A line of at least three words, not ending a sentence, with nearly every word of four letters
    or more capitalised ("Israel Launches Extended Offensive in Gaza"); a line with a comma and a
    figure is a byline or date line ("Jane Doe, The Times, May 2, 2022").
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, body = pos, line.strip()
        pos += len(line)
        words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", body) if w.lower() not in particles]
        if len(words) < 3 or body[-1:] in _HEADLINE_END or (re.search(r"\d", body) and "," in body):
            continue
        long = [w for w in words if len(w) >= 4]
        if len(long) >= 3 and sum(w[:1].isupper() for w in long) >= 0.85 * len(long):
            out.append((start, start + len(line)))
    return out


def author_keys(author: str | None) -> frozenset[str]:
    """The :func:`compact_key` of each name in an article's author field ("A and B", "A, B")."""
    if not author:
        return frozenset()
    parts = re.split(r",|;|\band\b|&", author)
    return frozenset(k for k in (compact_key(p) for p in parts) if k)
