"""Write a national-scale GIAS establishment file (windows-1252, the real column names)."""

import csv
import random

PHASES = [
    ("Primary", "Community school", "Local authority maintained schools", 280),
    ("Primary", "Voluntary aided school", "Local authority maintained schools", 210),
    ("Primary", "Academy converter", "Academies", 300),
    ("Secondary", "Academy converter", "Academies", 1000),
    ("Secondary", "Community school", "Local authority maintained schools", 950),
    ("Not applicable", "Community special school", "Special schools", 120),
    ("Not applicable", "Pupil referral unit", "Local authority maintained schools", 40),
    ("Nursery", "Local authority nursery school", "Local authority maintained schools", 90),
    ("All-through", "Free schools", "Free Schools", 1400),
]
EXTRA_COLUMNS = [f"Extra{n} (name)" for n in range(120)]
COLUMNS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "NumberOfPupils",
    "Postcode",
    *EXTRA_COLUMNS,
]


def write(path, rows=50_000, seed=7):
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="cp1252") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(rows):
            phase, kind, group, typical = PHASES[n % len(PHASES)]
            la = 201 + (n % 150)
            pupils = "" if n % 97 == 0 else str(max(10, int(rng.gauss(typical, typical / 4))))
            writer.writerow(
                [
                    100000 + n,
                    la,
                    f"Authority {la}",
                    2000 + n % 7000,
                    f"École St Mary's {phase} {n}",
                    kind,
                    group,
                    "Open" if n % 20 else "Closed",
                    phase,
                    4,
                    11,
                    pupils,
                    f"AB{n % 99} {n % 9}CD",
                    *("x" for _ in EXTRA_COLUMNS),
                ]
            )
    return path
