#!/usr/bin/env python3
"""Writes a large synthetic Hevy CSV export (English app, kg/km) for the loader benchmark.

usage: gen_hevy_csv.py ROWS OUT.csv   (deterministic: same ROWS, same bytes)
"""
import random
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
EXERCISES = ["Bench Press (Barbell)", "Squat (Barbell)", "Deadlift (Barbell)", "Overhead Press (Barbell)",
             "Lat Pulldown (Cable)", "Bent Over Row (Barbell)", "Leg Press (Machine)", "Bicep Curl (Dumbbell)"]
HEADER = '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"'


def days_in(month, year):
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(7)
    year, month, day, slot = 1990, 1, 1, 0
    written = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        while written < rows:
            hour = 6 + slot * 3
            start = f"{day} {MONTHS[month - 1]} {year}, {hour:02d}:{rng.randint(0, 59):02d}"
            end = f"{day} {MONTHS[month - 1]} {year}, {hour + 1:02d}:{rng.randint(0, 59):02d}"
            title = f"Session {slot}"
            for e in range(4):
                ex = EXERCISES[(slot * 4 + e + day) % len(EXERCISES)]
                note = 'Felt good, "solid"' if e == 0 and day % 5 == 0 else ""
                for s in range(4):
                    if written >= rows:
                        break
                    kind = "warmup" if s == 0 else "normal"
                    rpe = "" if s < 2 else str(rng.choice([7, 7.5, 8, 8.5, 9]))
                    f.write(f'\n"{title}","{start}","{end}","","{ex}",,"{note}",{s},"{kind}",'
                            f'{40 + rng.randint(0, 160) * 0.5:g},{rng.randint(3, 12)},,,{rpe}')
                    written += 1
            slot += 1
            if slot == 5:
                slot = 0
                day += 1
                if day > days_in(month, year):
                    day, month = 1, month + 1
                    if month > 12:
                        month, year = 1, year + 1


if __name__ == "__main__":
    main()
