"""Export municipal open data sets to CSV."""

import csv
import sys


def export(rows: list[dict[str, str]]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=sorted(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
