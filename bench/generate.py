"""Synthetic inputs in the real formats, for scale benchmarks.

Writes into OUT:
  registry-synthetic.yaml   first responders and other bodies (registry format)
  nrm_referrals_ngo_<year>_q<q>.csv ...  NRM referral tables with detail rows,
                            age and gender breakdowns, and consistent totals
  minutes-<n>.txt           a few files of minutes in the seed's layout

The number of REFERRED relationships the NRM tables yield is close to
--relationships (one per responder, nationality, exploitation type and
quarter with a non-zero count). Deterministic for a given --seed.

    .venv/bin/python bench/generate.py --relationships 100000 --out /tmp/synth
"""
from __future__ import annotations

import argparse
import csv
import math
import random
from pathlib import Path

HEADER = ["First responder type", "First responder", "Exploitation type", "Age at exploitation",
          "Gender", "Nationality", "People"]
EXPLOITATION = ["Sexual", "Labour", "Domestic", "Criminal", "Labour & Criminal",
                "Sexual & Labour", "Labour & Domestic", "Sexual & Domestic", "Sexual & Criminal",
                "Domestic & Criminal", "Organ Harvesting", "Not specified or unknown",
                "Labour & Organ Harvesting", "Sexual, Labour & Criminal"]
AGES = ["Adult (18 or over)", "Child (17 or under)", "Not specified or unknown"]
GENDERS = ["Female", "Male"]
TYPE = "NGO and third sector"


def nationalities() -> list[str]:
    """Every single-country demonym htkg knows, from its own table."""
    from htkg.loaders.nationality import default_resolver
    resolver = default_resolver()
    import pycountry
    out = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        names = resolver.demonyms_for(country.alpha_2)
        if names and resolver.resolve(names[0]) == (country.alpha_2,):
            out.append(names[0])
    return out


def write_registry(out: Path, responders: int) -> list[str]:
    names = [f"Synthetic Responder {i:04d}" for i in range(responders)]
    lines = ["# Synthetic first responders for scale benchmarks (made up).",
             "label: Organisation", "entries:"]
    for i, name in enumerate(names):
        lines += [f"  - id: synthetic-responder-{i:04d}", f"    name: {name}", "    kind: ngo",
                  "    citation: https://example.org/synthetic",
                  f"    active_in: [country-{['ng', 'al', 'vn', 'er', 'sd'][i % 5]}]"]
    (out / "registry-synthetic.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return names


def write_quarter(path: Path, responders: list[str], demonyms: list[str], rng: random.Random,
                  per_responder: int) -> int:
    """One referral table; returns how many REFERRED relationships it implies."""
    rels = 0
    agg: dict[str, int] = {}
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for responder in responders:
            picks = rng.sample([(n, e) for n in demonyms[:per_responder // len(EXPLOITATION) + 1]
                                for e in EXPLOITATION], per_responder)
            by_nat: dict[str, list[tuple[str, int, list[int], list[list[int]]]]] = {}
            for nat, exp in picks:
                bands = [[rng.randint(0, 3) for _ in GENDERS] for _ in AGES]
                by_nat.setdefault(nat, []).append((exp, sum(map(sum, bands)), [sum(b) for b in bands], bands))
            for nat, rows in by_nat.items():
                total = sum(r[1] for r in rows)
                agg[nat] = agg.get(nat, 0) + total
                w.writerow([TYPE, responder, "Total", "Total", "Total", nat, total])
                for exp, people, band_totals, bands in rows:
                    rels += people > 0
                    w.writerow([TYPE, responder, exp, "Total", "Total", nat, people])
                    for age, band_total, genders in zip(AGES, band_totals, bands):
                        w.writerow([TYPE, responder, exp, age, "Total", nat, band_total])
                        for gender, n in zip(GENDERS, genders):
                            w.writerow([TYPE, responder, exp, age, gender, nat, n])
        for nat, n in sorted(agg.items()):
            w.writerow([TYPE, f"{TYPE} total", "Total", "Total", "Total", nat, n])
    return rels


def write_minutes(out: Path, count: int, responders: list[str]) -> None:
    for n in range(count):
        body = [
            # The IDMG again, on the seed's date and after, so the saved queries'
            # examples (which name that meeting) have something to find.
            "Inter-Departmental Ministerial Group on Human Trafficking",
            f"11 March {2013 + n}", "",
            "Minutes", "", "Attendees:", "",
            "Home Office   Official CHAIR", "FCO    Official", f"{responders[n % len(responders)]}   Official",
            "", "Apologies:", "", "DWP    Official", "", "",
            "1. Referrals by nationality", "",
            "1.1 The Group reviewed referrals from Nigeria and Albania made by first responders.", "",
            "Actions:", "", "Home Office to report on", "referral trends.", "",
            "2. Frontline organisations", "",
            "2.1 Postal staff at Royal Mail and meter readers may meet people held in forced labour.", "",
            "Actions:", "  None", ""]
        (out / f"minutes-{n:03d}.txt").write_text("\n".join(body), encoding="utf-8")


def generate(out: Path, relationships: int, seed: int = 1) -> dict:
    """Write a synthetic corpus of about ``relationships`` REFERRED relationships."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    demonyms = nationalities()
    quarters = max(1, min(40, relationships // 25_000))
    responders_n = max(2, min(400, math.ceil(relationships / quarters / 600)))
    per_responder = max(1, min(len(demonyms) * len(EXPLOITATION) // 2,
                               math.ceil(relationships / quarters / responders_n * 1.08)))
    responders = write_registry(out, responders_n)
    rels = 0
    for q in range(quarters):       # the latest quarters, ending 2023 Q4 (the examples' quarter)
        year, quarter = divmod(2023 * 4 + 3 - q, 4)
        quarter += 1
        rels += write_quarter(out / f"nrm_referrals_ngo_{year}_q{quarter}.csv", responders,
                              demonyms, rng, per_responder)
    write_minutes(out, 3, responders)
    return {"quarters": quarters, "responders": responders_n, "referred": rels}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--relationships", type=int, default=10_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(generate(args.out, args.relationships, args.seed))


if __name__ == "__main__":
    main()
