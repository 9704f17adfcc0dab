"""Bounded cost per document: long articles in parts, long sentences capped, no per-candidate
re-tokenising in the places' cue search (issue 16, point 2). Costs are measured by
``benchmarks/size.py``, not asserted here; these tests check that the bounds hold and change
nothing else."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest import DEFAULT_MAX_BYTES, IngestOptions
from detente.model import Article
from detente.nlp import MAX_SENTENCE_TOKENS, text_parts
from detente.pipeline import Pipeline
from detente.places import _TOKEN, _cue, _last_tokens

PARAGRAPHS = [
    "Pakistan's foreign minister met his Iranian counterpart in Tehran on Monday. The two agreed "
    "to reopen the border crossing at Taftan.",
    "Kenya accused Somalia of sheltering militants along the frontier, and Nairobi recalled its "
    "ambassador on Tuesday.",
    "Norway offered to host talks between the government of Colombia and the rebels in Oslo next "
    "month.",
    "Police in Lima arrested dozens of protesters outside the Congress building on Wednesday.",
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


# -- parts ----------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab .?!\n")), max_size=400),
       limit=st.integers(min_value=1, max_value=60))
def test_text_parts_cover_the_text_exactly_within_the_limit(text: str, limit: int) -> None:
    parts = text_parts(text, limit)
    assert "".join(text[s:e] for s, e in parts) == text
    assert all(0 < e - s <= limit for s, e in parts) or parts == [(0, 0)]
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))


def test_text_parts_cut_at_paragraphs_when_they_can() -> None:
    text = "\n\n".join(PARAGRAPHS * 5)
    parts = text_parts(text, 400)
    assert len(parts) > 1
    assert all(text[:e].endswith("\n\n") for _, e in parts[:-1])


def test_a_long_article_is_processed_in_parts_with_whole_article_offsets(pipeline: Pipeline) -> None:
    title = "Neighbours trade accusations and offers of talks"
    text = title + "\n\nMarch 3, 2024\n\n" + "\n\n".join(PARAGRAPHS * 4) + "\n"
    article = Article(text=text, path="long.txt", title=title)
    small = dataclasses.replace(pipeline, options=dataclasses.replace(pipeline.options, part_chars=600))
    small.__post_init__()
    parted = small.process(article)
    assert len(text_parts(text, 600)) > 3
    assert [s.index for s in parted.sentences] == list(range(len(parted.sentences)))
    for s in parted.sentences:
        assert text[s.char_start:s.char_end] == s.text
    for m in parted.mentions:
        assert text[m.char_start:m.char_end] == m.text
        assert parted.sentences[m.sentence_index].char_start <= m.char_start
    assert parted.events
    for ev in parted.events:
        assert text[ev.sent_start:ev.sent_end] == ev.text
        assert parted.sentences[ev.sentence_index].char_start == ev.sent_start
        assert text[ev.trigger_start:ev.trigger_end] == ev.trigger
        for ref in [*ev.actor, *ev.recipient]:
            if ref.char_start is not None and ref.char_end is not None:
                assert text[ref.char_start:ref.char_end] == ref.entity_text
        if ev.place is not None and ev.place.char_start is not None:
            assert ev.sent_start <= ev.place.char_start < ev.sent_end
        # every part dates against the article's own date line, not only the first
        assert ev.date is not None and ev.date.value.startswith("2024")
    assert len({ev.id for ev in parted.events}) == len(parted.events)
    # in one piece the same events are found (each paragraph stands on its own)
    whole = pipeline.process(article)
    assert sorted((e.sent_start, e.event) for e in whole.events) == \
        sorted((e.sent_start, e.event) for e in parted.events)


# -- sentences ----------------------------------------------------------------------------------
def test_a_sentence_without_full_stops_is_capped(pipeline: Pipeline) -> None:
    clauses = [f"officials in {city} said the talks would resume" for city in
               ("Oslo", "Lima", "Accra", "Hanoi", "Cairo", "Ankara")] * 40
    text = "Talks stall\n\n" + ", and ".join(clauses).capitalize() + "."
    processed = pipeline.process(Article(text=text, path="run-on.txt"))
    doc = pipeline.resources.nlp(text)
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
    assert len(processed.sentences) > len(text.split()) // MAX_SENTENCE_TOKENS
    # splits fall after clause punctuation, not inside a clause
    assert all(s.text.rstrip().endswith((",", ".")) for s in processed.sentences[1:-1])


def test_ordinary_sentences_are_not_split(pipeline: Pipeline) -> None:
    text = " ".join(PARAGRAPHS)
    doc = pipeline.resources.nlp(text)
    assert [s.text.strip()[-1] for s in doc.sents] == ["."] * len(re.findall(r"\.(?:\s|$)", text))


# -- places' cue search -------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from([*"ab’' ,.-\n", "in ", "near ", "Tehran"]), max_size=1500).map("".join),
       n=st.integers(min_value=0, max_value=12))
def test_last_tokens_are_the_tail_of_the_full_tokenisation(text: str, n: int) -> None:
    full = _TOKEN.findall(text)
    assert _last_tokens(text, n) == (full[-n:] if n else [])


def test_the_cue_before_a_place_does_not_depend_on_what_precedes_it(pipeline: Pipeline) -> None:
    cues = pipeline.resources.gazetteer.cues
    short = "Officials said the delegation arrived in "
    long_prefix = "Ministers talked about trade, and " * 2000
    for before in (short, "the envoy travelled to ", "the convoy came from ", "nothing here "):
        assert _cue(long_prefix + before, cues) == _cue(before, cues)
    assert _cue(short, cues) > 0


def test_the_default_size_limit_is_what_the_machine_processes() -> None:
    assert IngestOptions().max_bytes == DEFAULT_MAX_BYTES == 5_000_000


def test_parts_share_repeated_values_and_change_nothing(pipeline: Pipeline,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The values a long article's parts repeat are held once (its results are all kept until
    the one write); the results are equal to those made without sharing."""
    import detente.pipeline as module
    from detente.model import to_dict

    text = "Talks\n\nMarch 3, 2024\n\n" + "\n\n".join(PARAGRAPHS * 6) + "\n"
    article = Article(text=text, path="long.txt")
    small = dataclasses.replace(pipeline, options=dataclasses.replace(pipeline.options, part_chars=700))
    small.__post_init__()
    shared = small.process(article)
    monkeypatch.setattr(module, "_share_values", lambda done, values: None)
    plain = small.process(article)
    for name in ("sentences", "mentions", "events"):
        assert [to_dict(x) for x in getattr(shared, name)] == [to_dict(x) for x in getattr(plain, name)]
    sentences = {s.index: s for s in shared.sentences}
    assert all(ev.text is sentences[ev.sentence_index].text for ev in shared.events)
    names = [m.text for m in shared.mentions if m.text == "Kenya"]  # read from the text each time
    assert len(names) > 3 and all(n is names[0] for n in names)
    assert len({id(m.text) for m in plain.mentions if m.text == "Kenya"}) > 1
