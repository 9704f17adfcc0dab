"""Breadth check on labelled stories: does a story of type T yield at least one event of type T?

The stories are the NGEC synthetic set (``gpt_synthetic_events_*.csv.zip``: columns ``text`` and
``label``, one PLOVER type per story) or any CSV with the same two columns. :func:`load_stories`
reads them (a zip is read in place); :func:`sample_stories` draws a stratified sample with a
fixed seed; :func:`score_breadth` runs the pipeline and returns, per type, the share of stories
yielding an event of their type (flagged events, negated or hypothetical, do not count).
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import DataFileError
from detente.model import Article


@dataclass(frozen=True)
class Story:
    index: int
    label: str
    text: str


def load_stories(path: Path) -> list[Story]:
    """Stories from a CSV (or a zip holding one CSV) with ``text`` and ``label`` columns."""
    path = Path(path)
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if n.endswith(".csv")]
                if not names:
                    raise DataFileError(path, "the zip holds no .csv file")
                raw = z.read(names[0]).decode("utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataFileError(path, f"cannot read the stories: {exc}") from exc
    rows = list(csv.DictReader(io.StringIO(raw)))
    if rows and not {"text", "label"} <= set(rows[0]):
        raise DataFileError(path, "the CSV needs 'text' and 'label' columns")
    return [Story(i, (r["label"] or "").strip().upper(), r["text"] or "") for i, r in enumerate(rows)
            if (r.get("text") or "").strip() and (r.get("label") or "").strip()]


def sample_stories(stories: Sequence[Story], per_type: int | None, seed: int = 13) -> list[Story]:
    """At most ``per_type`` stories of each label (all when None), drawn with a fixed seed."""
    if per_type is None:
        return list(stories)
    by: dict[str, list[Story]] = defaultdict(list)
    for s in stories:
        by[s.label].append(s)
    rng = random.Random(seed)
    out: list[Story] = []
    for label in sorted(by):
        group = by[label]
        out.extend(group if len(group) <= per_type else rng.sample(group, per_type))
    return sorted(out, key=lambda s: s.index)


@dataclass
class BreadthReport:
    stories: int
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    missed: dict[str, list[int]] = field(default_factory=dict)  # type -> story indices yielding none

    @property
    def average(self) -> float:
        shares = [v["share"] for v in self.by_type.values()]
        return sum(shares) / len(shares) if shares else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"stories": self.stories, "average_share": self.average, "by_type": self.by_type,
                "missed": self.missed}


def score_breadth(stories: Sequence[Story], pipeline: Any) -> BreadthReport:
    """Run ``pipeline`` (a :class:`~detente.pipeline.Pipeline`) over the stories and count."""
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    any_event: Counter[str] = Counter()
    missed: dict[str, list[int]] = defaultdict(list)
    arts = (Article(text=s.text, path=f"story-{s.index}") for s in stories)
    for story, processed in zip(stories, _process(pipeline, arts), strict=True):
        types = {e.event for e in processed.events if not (e.negated or e.hypothetical)}
        total[story.label] += 1
        any_event[story.label] += bool(types)
        if story.label in types:
            hit[story.label] += 1
        else:
            missed[story.label].append(story.index)
    by_type = {t: {"stories": total[t], "hits": hit[t], "share": hit[t] / total[t],
                   "any_event": any_event[t] / total[t]} for t in sorted(total)}
    return BreadthReport(stories=len(stories), by_type=by_type, missed=dict(missed))


def _process(pipeline: Any, articles: Iterable[Article]) -> Iterable[Any]:
    results: Iterable[Any] = pipeline.process_many(articles)
    return results


def format_breadth(report: BreadthReport, note: str = "") -> str:
    out = [f"synthetic stories: {report.stories} scored{note}",
           f"  {'type':<10} {'stories':>7} {'share':>7} {'any event':>9}"]
    for t, v in report.by_type.items():
        out.append(f"  {t:<10} {int(v['stories']):>7} {100 * v['share']:6.1f}% {100 * v['any_event']:8.1f}%")
    out.append(f"  {'average':<10} {'':>7} {100 * report.average:6.1f}%")
    return "\n".join(out) + "\n"
