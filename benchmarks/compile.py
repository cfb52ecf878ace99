"""Compile-time benchmark: DAG workflows of 100, 1,000 and 10,000 tasks, task i depending on task i // 2.

For container tasks and script tasks it reports the time to construct the objects, `build()`, `to_dict()` and
`to_yaml()`, the peak memory of a whole construct + to_yaml, and the time libyaml (`yaml.dump` with
CSafeDumper) takes to dump the same dict. Goal (issue 3): at 10,000 tasks, construct + to_yaml within 2x of
the libyaml dump alone.

    .venv/bin/python benchmarks/compile.py [--sizes 100 1000 10000] [--repeat 3]

Each case runs in a fresh interpreter, so imports and caches of one case do not help another.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r'''
import gc, json, resource, sys, time
import yaml
from hera.workflows import DAG, Container, Parameter, Workflow, script

n, kind, repeat = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])


@script(image="python:3.12")
def work(i: int, tag: str = "x"):
    print(i, tag)


def construct():
    with Workflow(generate_name="bench-", entrypoint="main") as w:
        c = Container(name="work", image="alpine:3.20", command=["echo"], args=["{{inputs.parameters.i}}"],
                      inputs=[Parameter(name="i")])
        template = c if kind == "container" else work
        with DAG(name="main"):
            tasks = []
            for i in range(n):
                t = template(name=f"t{i}", arguments={"i": i})
                if i:
                    tasks[i // 2] >> t
                tasks.append(t)
    return w


def best(fn):
    out, times = None, []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t_construct, w = best(construct)
t_build, _ = best(w.build)
t_dict, d = best(w.to_dict)
try:
    from hera.shared import yaml as _hera_yaml  # noqa: F401
    t_yaml, text = best(w.to_yaml)
except ImportError:
    t_yaml, text = None, None
t_libyaml, _ = best(lambda: yaml.dump(d, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=False))
peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
print(json.dumps({"n": n, "kind": kind, "construct": t_construct, "build": t_build, "to_dict": t_dict,
                  "to_yaml": t_yaml, "libyaml": t_libyaml, "peak_mb": peak_mb}))
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'tasks':>6} {'kind':<9} {'construct':>9} {'build':>7} {'to_dict':>7} {'to_yaml':>7} "
          f"{'libyaml':>7} {'(c+y)/lib':>9} {'peak MB':>7}")
    ok = True
    for n in args.sizes:
        for kind in ("container", "script"):
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, str(n), kind, str(args.repeat)],
                capture_output=True, text=True, check=False,
            )
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            r = json.loads(proc.stdout)
            ratio = None if r["to_yaml"] is None else (r["construct"] + r["to_yaml"]) / r["libyaml"]
            fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
            print(f"{n:>6} {kind:<9} {fmt(r['construct']):>9} {fmt(r['build']):>7} {fmt(r['to_dict']):>7} "
                  f"{fmt(r['to_yaml']):>7} {fmt(r['libyaml']):>7} {fmt(ratio):>9} {r['peak_mb']:>7.1f}")
            if n >= 10000 and ratio is not None and ratio > 2:
                ok = False
    print("times in seconds (best of --repeat); peak MB = growth of the process's max RSS over the run")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
