"""Prints the table of `make bench` from the measurements bench.sh took.

usage: report.py RESULTS.tsv META.tsv

RESULTS.tsv: dataset, stage, run, wall s, user s, sys s, peak RSS KB (one
measured process per line). META.tsv: key, value. Medians are taken per
dataset and stage; ratios are of medians. The table is Markdown so that it
can be pasted into docs/bench.md as it is."""
import statistics
import sys

STAGES = [
    ("validate", "`ufa validate`"),
    ("ingest", "`ufa ingest` (into a fresh copy of the warehouse)"),
    ("metrics", "`ufa metrics --month M`"),
    ("dashboards", "`ufa dashboards --month M`"),
    ("openpyxl", "openpyxl read-only, every cell"),
    ("floor", "floor: inflate + byte scan for `<c`"),
]
DATASETS = ["big", "prov"]


def load(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            ds, stage, _run, wall, user, sys_, rss = line.rstrip("\n").split("\t")
            rows.setdefault((ds, stage), []).append(
                (float(wall), float(user) + float(sys_), int(rss) / 1024))
    med = {}
    for key, vals in rows.items():
        med[key] = {
            "wall": statistics.median(v[0] for v in vals),
            "cpu": statistics.median(v[1] for v in vals),
            "mb": max(v[2] for v in vals),  # the worst peak, not a median
            "n": len(vals),
        }
    return med


def meta(path):
    m = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            m[k] = v
    return m


def num(x):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def rx(x):
    return "–" if x is None else f"{x:.1f}×"


def ok(cond):
    return "met" if cond else "NOT met"


CURVE = [
    ("floor", "floor: inflate + byte scan"),
    ("validate", "`ufa validate`"),
    ("ingest", "`ufa ingest` (new warehouse)"),
    ("metrics", "`ufa metrics --month M`"),
    ("dashboards", "`ufa dashboards --month M`"),
    ("run", "`ufa run` (new warehouse: ingest to report)"),
]


def curve(med, m):
    """The curve of issue 16: per scale and stage, the cost and its ratio to
    the floor, and the CPU time per 1,000 organizations, which stays flat
    when the cost grows linearly."""
    scales = m.get("scales", "").split()
    if not scales:
        return
    get = lambda ds, st, k: med.get((ds, st), {}).get(k)
    print(f"## The curve — one month ({m.get('curve_month', '?')}) of the 14 cities by scale, "
          f"median of {m.get('runs', '?')} runs\n")
    for s in scales:
        print(f"- scale {s}: {m.get('orgs_s' + s, '?')} organizations, {m.get('desc_s' + s, '')}")
    print()
    print("| scale | stage | wall s | CPU s | peak MB | wall / floor | CPU / floor | CPU ms per 1,000 orgs |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for s in scales:
        ds = "s" + s
        try:
            orgs = int(m.get("orgs_s" + s, ""))
        except ValueError:
            orgs = None
        for st, label in CURVE:
            w, c = get(ds, st, "wall"), get(ds, st, "cpu")
            per = None if c is None or not orgs else 1e6 * c / orgs
            print(f"| {s} | {label} | {num(w)} | {num(c)} | {num(get(ds, st, 'mb'))} "
                  f"| {rx(ratio(w, get(ds, 'floor', 'wall')))} | {rx(ratio(c, get(ds, 'floor', 'cpu')))} | {num(per)} |")
    top = "s" + scales[-1]
    rw, rc = get(top, "run", "wall"), get(top, "run", "cpu")
    fw = get(top, "floor", "wall")
    peak = max((get(top, st, "mb") or 0) for st, _ in CURVE)
    print(f"\nGoals at scale {scales[-1]}: `ufa run` within 3× the floor: {rx(ratio(rw, fw))} wall, "
          f"{rx(ratio(rc, get(top, 'floor', 'cpu')))} CPU — {ok(rw is not None and fw and rw <= 3 * fw)} (by wall time); "
          f"peak memory under 1 GiB for every command: {num(peak)} MB — {ok(0 < peak < 1024)}.\n")


def main(results, metafile):
    med = load(results)
    m = meta(metafile)
    get = lambda ds, st, k: med.get((ds, st), {}).get(k)
    if m.get("curve_only"):
        curve(med, m)
        machine(m)
        return

    month = m.get("month", "M")
    print(f"## ufa benchmarks — median of {m.get('runs', '?')} runs\n")
    print(f"- **100k** (M = {m.get('big_month', '?')}): {m.get('big_desc', '')}")
    print(f"- **province month** (M = {month}): {m.get('prov_desc', '')}\n")
    print("| stage | 100k: wall s | 100k: CPU s | 100k: peak MB "
          "| province month: wall s | province month: CPU s | province month: peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for st, label in STAGES:
        cells = []
        for ds in DATASETS:
            cells += [num(get(ds, st, "wall")), num(get(ds, st, "cpu")), num(get(ds, st, "mb"))]
        print(f"| {label} | " + " | ".join(cells) + " |")
    for a, b, label in [("openpyxl", "validate", "openpyxl / ufa validate"),
                        ("openpyxl", "ingest", "openpyxl / ufa ingest"),
                        ("validate", "floor", "ufa validate / floor")]:
        cells = []
        for ds in DATASETS:
            cells += [rx(ratio(get(ds, a, "wall"), get(ds, b, "wall"))),
                      rx(ratio(get(ds, a, "cpu"), get(ds, b, "cpu"))), ""]
        print(f"| *{label}* | " + " | ".join(cells) + " |")
    print("\nWall and CPU seconds are medians; peak MB is the highest of the runs. "
          "Ratio rows give the ratio of wall medians in the wall columns and of CPU medians in the CPU columns.\n")

    def total(k):
        parts = [get("prov", st, k) for st in ("ingest", "metrics", "dashboards")]
        return None if None in parts else sum(parts)

    tw, tc = total("wall"), total("cpu")
    print(f"Province month {month} (ingest + metrics + dashboards): **{num(tw)} s** wall "
          f"({num(tc)} s CPU) against the goal of 10 s: {ok(tw is not None and tw < 10)}.\n")

    v_op = ratio(get("big", "openpyxl", "wall"), get("big", "validate", "wall"))
    v_fl = ratio(get("big", "validate", "wall"), get("big", "floor", "wall"))
    i_op = ratio(get("big", "openpyxl", "wall"), get("big", "ingest", "wall"))
    v_mb = get("big", "validate", "mb")
    print("Goals on the 100k workbook (wall-clock medians):\n")
    print(f"- `ufa validate` ≥ 10× faster than openpyxl reading it: {rx(v_op)} — {ok(v_op is not None and v_op >= 10)}")
    print(f"- `ufa validate` within 3× the floor: {rx(v_fl)} — {ok(v_fl is not None and v_fl <= 3)}")
    print(f"- `ufa validate` peak memory < 256 MB: {num(v_mb)} MB — {ok(v_mb is not None and v_mb < 256)}")
    print(f"- `ufa ingest` ≥ 5× faster than openpyxl reading it: {rx(i_op)} — {ok(i_op is not None and i_op >= 5)}\n")

    curve(med, m)
    machine(m)


def machine(m):
    print(f"Machine: {m.get('nproc', '?')} CPUs ({m.get('cpu', '?')}), {m.get('mem', '?')} RAM, "
          f"{m.get('go', '?')}, {m.get('python', '?')} with openpyxl {m.get('openpyxl', '?')}; "
          f"load average {m.get('load_start', '?')} at the start, {m.get('load_end', '?')} at the end "
          f"(wall times above a load of {m.get('nproc', '?')} include waiting for a CPU; CPU seconds do not). "
          f"ufa {m.get('commit', '?')}, {m.get('date', '?')}; the timed part took {m.get('elapsed', '?')}, "
          f"preparing the data {m.get('prep', '?')}.")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: report.py RESULTS.tsv META.tsv")
    main(sys.argv[1], sys.argv[2])
