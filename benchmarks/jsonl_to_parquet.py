"""Convert JSON Lines observations to Parquet: wall time and peak memory, by file size.

Writes 10,000, 100,000 and 1,000,000 synthetic observations as JSON Lines
(with ``write_observations``, one at a time), then converts each file with
``observations_to_parquet`` in a fresh Python process, and prints the time
taken and that process's peak resident memory (``VmHWM`` in
``/proc/self/status``, else ``ru_maxrss``). A fresh process per file means
each peak is that conversion's own; the baseline is the same process's peak
after its imports (pyarrow, and pandas, which pyarrow imports on first use),
before it reads anything. Memory that does not grow with
the file shows as the same peak for every size.

This is a benchmark, not a test: it prints figures and never fails a build.

    python benchmarks/jsonl_to_parquet.py
    python benchmarks/jsonl_to_parquet.py --sizes 10000 100000 --batch-size 20000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from kgru_relations import (
    ObservationKind,
    PartialDate,
    Qualifier,
    write_observations,
)
from kgru_relations.model import Observation

SIZES = (10_000, 100_000, 1_000_000)
PARTNERS = ("RU", "KZ", "CN", "UZ", "TR", "DE", None)
UNITS = ("USD", "RUB", "KGS", "project")


def peak_kib() -> int:
    """This process's peak resident memory so far, in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def synthetic(count: int, seed: int = 1) -> Iterator[Observation]:
    """*count* varied observations, built one at a time."""
    rng = random.Random(seed)
    qualifiers = list(Qualifier)
    for index in range(count):
        year = 1995 + index % 31
        shape = index % 4
        period = (
            PartialDate(year),
            PartialDate(year, quarter=index % 4 + 1),
            PartialDate(year, index % 12 + 1),
            PartialDate(year, index % 12 + 1, index % 28 + 1),
        )[shape]
        yield Observation(
            id=f"observation:synthetic-{index}",
            indicator=f"indicator:series-{index % 50}",
            reporter="KG",
            partner=PARTNERS[index % len(PARTNERS)],
            period=period,
            value=Decimal(rng.randrange(10**13)).scaleb(-rng.randrange(0, 7)),
            unit=UNITS[index % len(UNITS)],
            qualifier=qualifiers[index % len(qualifiers)],
            kind=ObservationKind.ACTUAL if index % 5 else ObservationKind.ESTIMATE,
            sources=("source:synthetic",) if index % 3 else ("source:a", "source:b"),
            note=None if index % 10 else f"synthetic figure {index}",
        )


def convert(source: str, target: str, batch_size: int) -> None:
    """Convert one file in this process and print its figures as JSON (the child's job)."""
    import pyarrow  # type: ignore[import-untyped]  # noqa: PLC0415
    import pyarrow.parquet  # type: ignore[import-untyped]  # noqa: PLC0415

    from kgru_relations.interop.tables import observations_to_parquet  # noqa: PLC0415

    # pyarrow imports pandas, when it is installed, the first time it builds an
    # array from Python values: a fixed cost, so it belongs in the baseline.
    pyarrow.array([0])
    baseline = peak_kib()
    started = time.perf_counter()
    count = observations_to_parquet(source, target, batch_size=batch_size)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"rows": count, "seconds": seconds, "baseline_kib": baseline, "peak_kib": peak_kib()}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--convert", nargs=2, metavar=("SOURCE", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    from kgru_relations.interop.tables import DEFAULT_BATCH_SIZE  # noqa: PLC0415

    batch_size = args.batch_size or DEFAULT_BATCH_SIZE
    if args.convert:
        source, target = args.convert
        convert(source, target, batch_size)
        return
    print(f"observations_to_parquet, batch size {batch_size:,}; Python {sys.version.split()[0]}")
    header = (
        f"{'observations':>13} {'JSONL MB':>9} {'write s':>8} {'convert s':>10} "
        f"{'obs/s':>9} {'Parquet MB':>11} {'baseline MiB':>13} {'peak MiB':>9}"
    )
    print(header, flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            source = Path(folder, f"observations-{size}.jsonl")
            target = Path(folder, f"observations-{size}.parquet")
            started = time.perf_counter()
            write_observations(source, synthetic(size))
            written = time.perf_counter() - started
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--convert",
                    str(source),
                    str(target),
                    "--batch-size",
                    str(batch_size),
                ],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            figures = json.loads(child.stdout)
            assert figures["rows"] == size, figures
            print(
                f"{size:>13,} {source.stat().st_size / 1e6:>9.1f} {written:>8.1f} "
                f"{figures['seconds']:>10.1f} {size / figures['seconds']:>9,.0f} "
                f"{target.stat().st_size / 1e6:>11.1f} {figures['baseline_kib'] / 1024:>13.0f} "
                f"{figures['peak_kib'] / 1024:>9.0f}",
                flush=True,
            )
            source.unlink()
            target.unlink()


if __name__ == "__main__":
    main()
