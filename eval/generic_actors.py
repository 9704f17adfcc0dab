"""Generic actors on the dev corpus: of the matched events whose gold actor or recipient carries a
sector ("KEN.POL", "SDN.REB"), how many have a predicted participant of the same role with that
sector, with that country, and with both.

``python eval/generic_actors.py eval/dev/heldout.gold.yaml eval/dev/heldout/`` (reports only).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from detente.batch import ingest
from detente.evaluate import Aligner, DocText, document_keys, greedy_match, load_gold, predicted_events
from detente.pipeline import Pipeline
from detente.store import Store


def miss_kind(code: str, sector: str, got: set[tuple[str | None, str | None]]) -> str:
    """Why a gold party was missed: no party in that role, the country without the sector, the
    sector without (or with another) country, or another party altogether."""
    if not got:
        return "no-party"
    if any(c == code and s is None for c, s in got):
        return "country-only"
    if any(s == sector for _, s in got):
        return "sector-wrong-country" if any(c for c, s in got if s == sector) else "sector-no-country"
    if any(c == code for c, _ in got):
        return "country-other-sector"
    return "other-party"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("gold", type=Path)
    ap.add_argument("texts", type=Path)
    ap.add_argument("--all", action="store_true", help="list every miss, with its kind")
    args = ap.parse_args(argv)
    raw = yaml.safe_load(args.gold.read_text(encoding="utf-8"))
    sectors: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for doc in raw["documents"]:
        for ev in doc.get("events") or []:
            for role in ("actor", "recipient"):
                codes, secs = ev.get(role) or [], ev.get(f"{role}_sector") or []
                pairs = [(c, s) for c, s in zip(codes, secs, strict=False) if s and s != "GOV"]
                if pairs:
                    sectors.setdefault(ev["id"], {})[role] = pairs
    gold = load_gold(args.gold)
    store = Store(":memory:")
    ingest([args.texts], store, pipeline=Pipeline.load())
    keys = document_keys(store)
    aligner = Aligner({v[0]: DocText(v[1]) for v in keys.values()})
    preds = predicted_events(store, keys)
    parts: dict[tuple[str, str], set[tuple[str | None, str | None]]] = defaultdict(set)
    for eid, role, code, sector in store.sql(
            "SELECT event_id, role, code, sector FROM participants").itertuples(index=False):
        parts[(eid, role)].add((code if isinstance(code, str) else None,
                                sector if isinstance(sector, str) else None))
    by_doc_g = defaultdict(list)
    by_doc_p = defaultdict(list)
    for g in gold.events:
        by_doc_g[g.doc].append(g)
    for p in preds:
        by_doc_p[p.doc].append(p)
    n = right_sector = right_country = both = 0
    wrong: list[str] = []
    kinds: dict[str, int] = defaultdict(int)
    for doc, golds in by_doc_g.items():
        pairs, _, _ = greedy_match([g for g in golds if g.id in sectors], by_doc_p[doc], aligner)
        for pr in pairs:
            for role, want in sectors[pr.gold.id].items():
                got = parts.get((pr.pred.event_id, role), set())
                for code, sector in want:
                    n += 1
                    s_ok = any(s == sector for _, s in got)
                    c_ok = any(c == code for c, _ in got)
                    b_ok = (code, sector) in got
                    right_sector += s_ok
                    right_country += c_ok
                    both += b_ok
                    if not b_ok:
                        kind = miss_kind(code, sector, got)
                        kinds[kind] += 1
                        wrong.append(f"  [{kind}] {pr.gold.id} {role} want {code}.{sector} got "
                                     f"{sorted(f'{c}.{s}' for c, s in got)}: {pr.gold.sentence[:70]}")
    store.close()
    if not n:
        print("generic actors: no matched event with a sectored gold party")
        return 0
    print(f"generic actors ({args.gold.name}): {n} sectored gold parties in matched events; "
          f"sector {100 * right_sector / n:.1f}%, country {100 * right_country / n:.1f}%, "
          f"both {100 * both / n:.1f}%")
    print("misses by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
    sys.stdout.write("\n".join(wrong if args.all else wrong[:25]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
