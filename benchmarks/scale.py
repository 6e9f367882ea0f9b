"""The observation store at scale: write, scan one series, aggregate; time, memory, bytes.

Generates N observations of monthly bilateral trade as JSON Lines (two
indicators, exports and imports, 1995-2024, 12 months, as many reporter and
partner pairs as N needs; each line as ``write_observations`` writes it),
then, each stage in a fresh Python process so that its peak memory is its
own:

1. ``write``: ``write_observation_store(iter_observations(file), store)``,
   partitioned by indicator and year: observations per second, peak RSS
   (``VmHWM``), cost per record;
2. ``scan``: ``scan_observations`` of one bilateral series (one indicator,
   one reporter, one partner: 360 rows), its time and the bytes it read
   against the store's size. The bytes are ``rchar`` of ``/proc/self/io``:
   every byte the process asked the kernel to read during the scan, from the
   page cache or the disk alike, of any file (Parquet footers and row groups,
   the manifest, a module imported on the way), so it is an upper bound on
   what the scan needs, never a figure that leaves a read out;
3. ``duckdb``: trade by pair and year over the whole store in DuckDB;
4. ``dask``: the same on a ``dask.distributed.LocalCluster`` of two workers
   (threads: ``processes=False``), checked equal to DuckDB's totals.

It then prints the cost per record at each size and what 10^9 would take,
on paper: the measured cost per record and bytes per record times 10^9,
and the memory, which does not grow with N.

The lines come reporter by reporter (``--order series``, the default: a
bulk download by reporter), or month by month (``--order time``: a monthly
release), where each partition's row groups hold every reporter and a
series' scan reads the whole of its partitions.

This is a benchmark, not a test: it prints figures and never fails a build.

    python benchmarks/scale.py                 # 10^7 (about 3 GB of disk)
    python benchmarks/scale.py --n 1000000 --n 10000000
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

YEARS = range(1995, 2025)
MONTHS = range(1, 13)
INDICATORS = ("indicator:trade-exports", "indicator:trade-imports")


def _codes() -> list[str]:
    import pycountry  # noqa: PLC0415 - only when generating

    return sorted(country.alpha_2 for country in pycountry.countries)


def _pairs(count: int) -> list[tuple[str, str]]:
    codes = _codes()
    pairs = [(r, p) for r in codes for p in codes if r != p]
    return pairs[:count]


def _indicators(n: int) -> tuple[str, ...]:
    """The two trade flows, and as many more indicators as *n* lines need.

    Every ordered pair of the 249 ISO countries over 30 years of months is
    44.5 million lines for two indicators: past that, more indicators (and so
    more partitions) rather than fewer lines than asked for.
    """
    codes = len(_codes())
    one = codes * (codes - 1) * len(YEARS) * len(MONTHS)  # the most lines an indicator has
    count = max(len(INDICATORS), -(-n // one))
    more = (f"indicator:trade-flow-{k}" for k in range(len(INDICATORS) + 1, count + 1))
    return (*INDICATORS, *more)


def generate(path: Path, n: int, order: str) -> None:
    """Write exactly *n* observation lines to *path*, pair by pair (or month by month)."""
    indicators = _indicators(n)
    pairs = _pairs(-(-n // (len(YEARS) * len(MONTHS) * len(indicators))))
    written = 0

    def line(reporter: str, partner: str, indicator: str, year: int, month: int) -> str:
        value = (hash((reporter, partner, year, month, indicator)) % 10**9) / 100
        slug = f"{indicator[10:]}-{reporter}-{partner}-{year}-{month:02}".lower()
        return (
            f'{{"id":"observation:{slug}","indicator":"{indicator}","partner":"{partner}",'
            f'"period":"{year}-{month:02}","reporter":"{reporter}",'
            f'"sources":["source:bench"],"unit":"USD","value":"{value:.2f}"}}\n'
        )

    with path.open("w", encoding="ascii") as out:
        if order == "series":
            keys = (
                (r, p, i, y, m) for r, p in pairs for i in indicators for y in YEARS for m in MONTHS
            )
        else:
            keys = (
                (r, p, i, y, m) for y in YEARS for m in MONTHS for i in indicators for r, p in pairs
            )
        for key in keys:
            if written == n:
                break
            out.write(line(*key))
            written += 1
    if written != n:
        raise SystemExit(f"generated {written:,} lines, not the {n:,} asked for")


def _peak_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(row.split()[1]) for row in status if row.startswith("VmHWM:"))


def _read_bytes() -> int:
    with open("/proc/self/io", encoding="ascii") as io:
        return next(int(row.split()[1]) for row in io if row.startswith("rchar:"))


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*.parquet"))


_TRADE = """
    SELECT reporter, partner, year, sum(value) AS total
    FROM read_parquet('{store}/**/*.parquet', hive_partitioning = true)
    GROUP BY ALL
"""


def stage(name: str, source: Path, store: Path) -> dict[str, Any]:
    """Run one stage in this process; return its figures."""
    if name == "write":
        # pyarrow is imported before the clock starts (as by any earlier use), not counted
        # as writing: its cost is once per process, not per record.
        import pyarrow.compute  # type: ignore[import-untyped]  # noqa: PLC0415
        import pyarrow.parquet  # type: ignore[import-untyped]  # noqa: PLC0415

        from kgru_relations.interop.tables import write_observation_store  # noqa: PLC0415
        from kgru_relations.serialize import iter_observations  # noqa: PLC0415

        base = _peak_kib()
        load = os.getloadavg()[0]
        start = time.perf_counter()
        count = write_observation_store(iter_observations(source), store)
        seconds = time.perf_counter() - start
        return {
            "rows": count,
            "seconds": seconds,
            "peak_kib": _peak_kib(),
            "base_kib": base,
            "load": (load, os.getloadavg()[0]),
        }
    if name == "scan":
        import pyarrow.dataset  # type: ignore[import-untyped]  # noqa: PLC0415 - not counted
        import pyarrow.parquet  # noqa: PLC0415 - the same

        from kgru_relations.interop.tables import scan_observations  # noqa: PLC0415

        reporter, partner = _pairs(1)[0]
        before, start = _read_bytes(), time.perf_counter()
        found = list(
            scan_observations(store, indicator=INDICATORS[0], reporter=reporter, partner=partner)
        )
        seconds = time.perf_counter() - start
        read = _read_bytes() - before
        return {"rows": len(found), "seconds": seconds, "read": read, "size": _size(store)}
    if name == "duckdb":
        import duckdb  # noqa: PLC0415

        start = time.perf_counter()
        totals = _fetch(duckdb.sql(_TRADE.format(store=store)))
        return {"groups": len(totals), "seconds": time.perf_counter() - start}
    if name == "dask":
        import dask.dataframe as dd  # noqa: PLC0415
        import duckdb  # noqa: PLC0415
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.dataset as pads  # noqa: PLC0415

        distributed: Any = importlib.import_module("dask.distributed")  # untyped

        keys = pa.schema([("indicator", pa.string()), ("year", pa.int32())])
        with (
            distributed.LocalCluster(
                n_workers=2, processes=False, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster),
        ):
            start = time.perf_counter()
            frame = dd.read_parquet(
                store,
                columns=["reporter", "partner", "value", "year"],
                dataset={"partitioning": pads.partitioning(keys, flavor="hive")},
                dtype_backend="pyarrow",
            )
            totals = frame.groupby(["reporter", "partner", "year"])["value"].sum().compute()
            seconds = time.perf_counter() - start
        duck = {(r, p, y): t for r, p, y, t in _fetch(duckdb.sql(_TRADE.format(store=store)))}
        same = dict(totals.items()) == duck
        return {"groups": len(totals), "seconds": seconds, "same_as_duckdb": same}
    raise SystemExit(f"no stage {name}")


def _fetch(relation: Any) -> list[Any]:
    """The rows of a DuckDB query's result (``duckdb.sql`` types it as perhaps None)."""
    rows: list[Any] = relation.fetchall()
    return rows


def _run(name: str, source: Path, store: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--stage", name, str(source), str(store)]
    env = os.environ | {"PYTHONWARNINGS": "ignore"}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure(n: int, order: str, folder: Path) -> dict[str, Any]:
    """Every stage at size *n*; the JSON Lines file and the store are removed after."""
    source, store = folder / f"obs-{n}.jsonl", folder / f"store-{n}"
    start = time.perf_counter()
    generate(source, n, order)
    print(f"\n{n:,} observations: generated in {time.perf_counter() - start:.1f} s", flush=True)
    figures: dict[str, Any] = {
        name: _run(name, source, store) for name in ("write", "scan", "duckdb", "dask")
    }
    figures["files"] = sum(1 for _ in store.rglob("*.parquet"))
    figures["partitions"] = len({path.parent for path in store.rglob("*.parquet")})
    subprocess.run(["rm", "-rf", str(source), str(store)], check=True)
    write, scan = figures["write"], figures["scan"]
    print(
        f"  write : {write['rows'] / write['seconds']:,.0f} obs/s, "
        f"{write['seconds'] / write['rows'] * 1e6:.2f} us a record, "
        f"peak RSS {write['peak_kib'] / 1024:.0f} MiB "
        f"(after imports {write['base_kib'] / 1024:.0f}); "
        "load average {:.2f} before, {:.2f} after (other processes share the cores)".format(
            *write["load"]
        )
    )
    print(
        f"  store : {scan['size'] / 2**20:,.0f} MiB, {scan['size'] / write['rows']:.1f} B a record,"
        f" {figures['files']} files in {figures['partitions']} partitions"
    )
    print(
        f"  scan  : one series ({scan['rows']} rows) in {scan['seconds']:.3f} s, "
        f"read {scan['read'] / 2**20:.1f} MiB = "
        f"{100 * scan['read'] / scan['size']:.2f} % of the store"
    )
    print(f"  duckdb: trade by pair and year in {figures['duckdb']['seconds']:.2f} s")
    dask = figures["dask"]
    print(
        f"  dask  : the same on a LocalCluster (2 threaded workers) in {dask['seconds']:.2f} s, "
        f"same totals as DuckDB: {dask['same_as_duckdb']}"
    )
    return figures


def main() -> None:
    """Measure at each size asked for, then project to 10^9."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="observations (10^7 if not given)")
    parser.add_argument("--order", choices=["series", "time"], default="series")
    parser.add_argument(
        "--stage", nargs=3, metavar=("NAME", "JSONL", "STORE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.stage:
        name, source, store = args.stage
        print(json.dumps(stage(name, Path(source), Path(store))))
        return
    sizes = args.n or [10**7]
    results = {}
    with tempfile.TemporaryDirectory(dir=os.environ.get("SCALE_DIR")) as folder:
        for n in sizes:
            results[n] = measure(n, args.order, Path(folder))
    costs = {n: r["write"]["seconds"] / r["write"]["rows"] for n, r in results.items()}
    print(
        "\ncost per record written: "
        + ", ".join(f"{n:,}: {c * 1e6:.2f} us" for n, c in costs.items())
    )
    if len(costs) > 1:
        print(f"  largest / smallest: {max(costs.values()) / min(costs.values()):.2f}x")
    n, last = max(results.items())
    per_record = costs[n]
    per_byte = last["scan"]["size"] / last["write"]["rows"]
    partitions = last["partitions"]
    print(
        f"\n10^9 on paper (from {n:,}): {per_record * 1e9 / 3600:.1f} h to write on one core "
        f"({per_record * 1e9 / partitions / 60:.0f} min a partition over {partitions}; "
        f"partitions are independent, so k machines take 1/k), "
        f"{per_byte * 1e9 / 2**30:,.0f} GiB of Parquet"
    )
    peaks = ", ".join(f"{n:,}: {r['write']['peak_kib'] / 1024:.0f} MiB" for n, r in results.items())
    print(f"peak RSS writing: {peaks} (bounded by the batch, not by N, if these agree)")


if __name__ == "__main__":
    main()
