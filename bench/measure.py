#!/usr/bin/env python3
"""Runs shiryo and LibreOffice on the same plans and prints median wall time,
peak RSS, PDF size and ratios, and what the tagged PDF costs against an
untagged one (render --no-tags). Called by bench/run.sh."""
import os, statistics, subprocess, sys, tempfile, time

SHIRYO = os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "shiryo")
LAYOUT = "layouts/shiryo2-dai5ki.json"


def run(cmd, runs):
    """Median wall seconds and peak RSS (MB) of `runs` runs of cmd."""
    times, rss = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            sys.exit(f"failed: {' '.join(cmd)}")
        rss = max(rss, usage.ru_maxrss / 1024)
    return statistics.median(times), rss


def paired(a, b, runs):
    """Median wall seconds of `runs` runs each of commands a and b, taken in
    turns so that both see the same machine."""
    ta, tb = [], []
    for _ in range(runs):
        for cmd, times in ((a, ta), (b, tb)):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(ta), statistics.median(tb)


def pdf_size(out):
    """Size in KB of the one PDF in directory out."""
    return os.path.getsize(next(os.path.join(out, f) for f in os.listdir(out) if f.endswith(".pdf"))) / 1024


def main():
    tmp = tempfile.mkdtemp(prefix="shiryo-bench-")
    plans = {"example": "data/dai5ki.json"}
    for n in (50, 200):
        path = os.path.join(tmp, f"x{n}.json")
        subprocess.run([sys.executable, "bench/scale.py", str(n), path], check=True)
        plans[f"x{n}"] = path
    rows = {}
    for name, data in plans.items():
        out = os.path.join(tmp, name)
        runs = 9 if name == "example" else (5 if name == "x50" else 3)
        t, rss = run([SHIRYO, "render", "--data", data, "--layout", LAYOUT, "--out", out], runs)
        stem = os.path.splitext(os.path.basename(data))[0]
        files = sorted(os.listdir(out))
        pdf = next(os.path.join(out, f) for f in files if f.endswith(".pdf"))
        xlsx = next(os.path.join(out, f) for f in files if f.endswith(".xlsx"))
        row = {"time": t, "rss": rss, "pdf": os.path.getsize(pdf) / 1024}
        if name != "x200":
            profile = tempfile.mkdtemp(prefix="lo-profile-")
            lo = ["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless",
                  "--convert-to", "pdf", "--outdir", os.path.join(tmp, "lo-" + name), xlsx]
            run(lo, 1)  # first start initialises the profile
            row["lo_time"], row["lo_rss"] = run(lo, 3 if name == "example" else 1)
        # The PDF alone, tagged (the default) and untagged.
        cmd = [SHIRYO, "render", "--format", "pdf", "--data", data, "--layout", LAYOUT, "--out"]
        tagged, plain = os.path.join(tmp, name + "-tagged"), os.path.join(tmp, name + "-plain")
        row["tagged_time"], row["plain_time"] = paired(cmd + [tagged], cmd + [plain, "--no-tags"], runs)
        row["tagged_pdf"], row["plain_pdf"] = pdf_size(tagged), pdf_size(plain)
        rows[name] = row
        print(f"{name}: rendered ({stem})", file=sys.stderr)

    print(f"{'plan':<8} {'shiryo s':>9} {'RSS MB':>7} {'PDF KB':>7} {'LibreOffice s':>14} {'LO RSS MB':>10} {'speed-up':>9}")
    for name, r in rows.items():
        lo = r.get("lo_time")
        lo_s = f"{lo:.3f}" if lo else "-"
        lo_rss = "%.1f" % r["lo_rss"] if lo else "-"
        speed = "%.1fx" % (lo / r["time"]) if lo else "-"
        print(f"{name:<8} {r['time']:>9.3f} {r['rss']:>7.1f} {r['pdf']:>7.1f} {lo_s:>14} {lo_rss:>10} {speed:>9}")
    print(f"x200 / x50 time: {rows['x200']['time'] / rows['x50']['time']:.2f}x (data 4x)")
    print("targets: example >= 50x and x50 >= 20x faster than LibreOffice; x50 <= 60 MB RSS; "
          "PDF <= 100 KB (example), <= 600 KB (x50); x200 <= 4.4x the time of x50")
    print()
    print(f"{'plan':<8} {'tagged KB':>10} {'untagged KB':>12} {'size':>6} {'tagged s':>9} {'untagged s':>11} {'time':>6}")
    for name, r in rows.items():
        print(f"{name:<8} {r['tagged_pdf']:>10.1f} {r['plain_pdf']:>12.1f} {r['tagged_pdf'] / r['plain_pdf']:>6.2f}"
              f" {r['tagged_time']:>9.3f} {r['plain_time']:>11.3f} {r['tagged_time'] / r['plain_time']:>6.2f}")
    print("targets: the tagged PDF (PDF/UA-1) within 1.20x the size and time of the untagged one (--no-tags)")


if __name__ == "__main__":
    main()
