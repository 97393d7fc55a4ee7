#!/usr/bin/env python3
"""Smoke run of the Google Benchmark micro-benchmarks (the test command runs it as bench.micro):
every benchmark the binary lists runs for a moment and must report iterations and no error. The
benchmarks check their own results before timing (SkipWithError), so a benchmark that would time
a failure fails here. No speed is judged.

    bench/micro/smoke.py PATH/TO/hocvu_micro_bench
"""
import json, os, subprocess, sys, tempfile


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    listed = subprocess.run([binary, "--benchmark_list_tests=true"], capture_output=True, text=True, check=True).stdout.split()
    if not listed:
        sys.exit(f"smoke.py: {binary} lists no benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        # A tiny minimum time: each benchmark runs a few iterations (1.7 takes seconds as a number).
        r = subprocess.run([binary, "--benchmark_min_time=0.001", f"--benchmark_out={out}", "--benchmark_out_format=json"],
                           capture_output=True, text=True)
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr)
        if r.returncode != 0:
            sys.exit(f"smoke.py: {binary} exited with {r.returncode}")
        runs = json.load(open(out))["benchmarks"]
    failures = []
    ran = {b["name"]: b for b in runs}
    for name in listed:
        b = ran.get(name)
        if b is None:
            failures.append(f"{name}: did not run")
        elif b.get("error_occurred") or b.get("skipped") or b.get("error_message"):
            failures.append(f"{name}: {b.get('error_message', 'error')}")
        elif int(b.get("iterations", 0)) < 1:
            failures.append(f"{name}: no iteration")
    if failures:
        sys.exit("smoke.py: " + "; ".join(failures))
    print(f"smoke.py: {len(listed)} micro-benchmarks ran and checked their results")


if __name__ == "__main__":
    main()
