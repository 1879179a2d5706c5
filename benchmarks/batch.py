"""Reports per minute: a naive loop of papermill commands against ``perfkit batch`` (warm engine).

On the demo district (``perfkit.run.demo.demo_workbook_path``, 300 projects in its latest year):

1. **naive loop** — for each of ``--loop`` projects (default 6), what a user would script:
   ``papermill notebooks/project_self_evaluation.ipynb out.ipynb -f params.yaml`` then
   ``jupyter nbconvert --to html out.ipynb``: a process, a kernel and every import per report;
2. **perfkit batch** — ``perfkit batch <workbook> --engine warm --jobs 2`` over ``--warm``
   projects (default 60), timed end to end as a user runs it (command start, listing the
   projects, fork-server start-up and reading the workbook included: ≈ 8–13 s here, so the
   ratio grows with the batch; ``--warm 30`` gives the smallest batch the goal speaks of);
3. the ``results.json`` of the projects both produced must be byte-identical;
4. the latency of one report through a warm server that is already up, and the server's
   start-up;
5. peak memory, sampled every second during the batch of step 2 (and of an extra batch of
   ``--memory N`` reports, or of 1,000 reports on a generated 1,000-project district with
   ``--thousand``): RSS of the command, the server and the report processes summed (and PSS,
   which counts the pages the forked processes share once), with psutil (or /proc), and the
   command's own RSS a quarter of the way and at the end (flat: it keeps one small dict per
   report).

Everything is written under a temporary folder (``--out`` to keep it). Run:
``.venv/bin/python benchmarks/batch.py`` (a few minutes on 2 cores). The last two lines read
``per_report_seconds_warm: <s>`` (step 4, best of ``--latency`` reports) and
``speedup_vs_papermill_loop: <ratio>`` (reports/minute of the batch ÷ of the loop).

``--no-loop`` skips step 1 (and the comparison of step 3): a quick look at the warm engine
alone, e.g. ``.venv/bin/python benchmarks/batch.py --no-loop --warm 30`` (≈ 1 minute), whose
last line is ``per_report_seconds_warm``.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "project_self_evaluation.ipynb"


# --------------------------------------------------------------------------------------------
# memory sampling of a process tree
# --------------------------------------------------------------------------------------------
def _tree_memory(pid: int) -> tuple[int, int, int]:
    """(RSS of pid itself, summed RSS of pid and its descendants, summed PSS) in bytes."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            top = psutil.Process(pid)
            procs = [top] + top.children(recursive=True)
        except psutil.Error:
            return 0, 0, 0
        own = rss = pss = 0
        for p in procs:
            try:
                if p.pid == pid:
                    own = p.memory_info().rss
                try:
                    full = p.memory_full_info()
                    rss += full.rss
                    pss += getattr(full, "pss", full.rss)
                except (psutil.AccessDenied, AttributeError):
                    rss += p.memory_info().rss
                    pss += p.memory_info().rss
            except psutil.Error:
                pass
        return own, rss, pss
    # /proc fallback (Linux): walk children via /proc/<pid>/task/*/children
    def kids(p):
        out = []
        for t in Path(f"/proc/{p}/task").glob("*"):
            try:
                out += [int(x) for x in (t / "children").read_text().split()]
            except OSError:
                pass
        return out

    def rss_pss(p):
        r = s = 0
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    r = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    s = int(line.split()[1]) * 1024
        except OSError:
            pass
        return r, s

    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += kids(p)
    own = rss_pss(pid)[0]
    tot = [rss_pss(p) for p in seen]
    return own, sum(t[0] for t in tot), sum(t[1] for t in tot)


class Sampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = 0
        self.own: list[int] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            own, rss, pss = _tree_memory(self.pid)
            if own:
                self.own.append(own)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.done.wait(self.every)


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished descendant that was waited for: the
    papermill/kernel/nbconvert processes of the loop; the command, its server and the forked
    report processes of a batch. Independent of how busy the machine is."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


# --------------------------------------------------------------------------------------------
# the parts
# --------------------------------------------------------------------------------------------
def naive_loop(specs, out: Path, env: dict) -> tuple[float, dict[str, Path]]:
    import yaml
    results = {}
    t0 = time.perf_counter()
    for spec in specs:
        pid = spec.subject_id()
        d = out / pid
        d.mkdir(parents=True, exist_ok=True)
        params = {**spec.parameters, "output_dir": str(d)}
        (d / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True),
                                       encoding="utf-8")
        nb_out = d / "out.ipynb"
        subprocess.run([str(BIN / "papermill"), str(NOTEBOOK), str(nb_out), "-f",
                        str(d / "params.yaml"), "--no-progress-bar"], check=True, env=env,
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(nb_out)],
                       check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        results[pid] = d / "results.json"
    return time.perf_counter() - t0, results


def perfkit_batch(workbook: Path, *, batch: str, limit: int, jobs: int, env: dict,
                  sample: bool = False) -> tuple[float, Sampler | None]:
    cmd = [str(BIN / "perfkit"), "batch", str(workbook), "--batch", batch, "--limit",
           str(limit), "--jobs", str(jobs), "--engine", "warm", "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    sampler = None
    if sample:
        sampler = Sampler(proc.pid, every=1.0)
        sampler.start()
    rc = proc.wait()
    seconds = time.perf_counter() - t0
    if sampler is not None:
        sampler.done.set()
        sampler.join()
    if rc != 0:
        raise SystemExit(f"perfkit batch failed with exit code {rc}")
    return seconds, sampler


def print_memory(what: str, smp: Sampler) -> None:
    own = smp.own or [0]
    mib = 1 / 2 ** 20
    print(f"memory of the {what}: peak RSS (command + server + report processes) "
          f"{smp.peak_rss * mib:.0f} MiB, peak PSS {smp.peak_pss * mib:.0f} MiB; the command's "
          f"own RSS {own[len(own) // 4] * mib:.0f} MiB a quarter of the way, "
          f"{own[-1] * mib:.0f} MiB at the end (max {max(own) * mib:.0f} MiB)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--loop", type=int, default=6, help="reports of the naive papermill loop")
    ap.add_argument("--warm", type=int, default=60, help="reports of the perfkit batch (≥ 30)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-loop", action="store_true",
                    help="skip the naive papermill loop (the warm batch and latency only)")
    ap.add_argument("--latency", type=int, default=3,
                    help="reports through a running warm server; the best is printed")
    ap.add_argument("--memory", type=int, default=0,
                    help="reports of an extra batch measured for memory (default: none; the "
                         "memory of the batch of --warm is always reported)")
    ap.add_argument("--thousand", action="store_true",
                    help="memory batch of 1,000 reports on a generated 1,000-project district")
    ap.add_argument("--out", help="keep everything in this folder")
    a = ap.parse_args(argv)

    out = Path(a.out).resolve() if a.out else Path(tempfile.mkdtemp(prefix="perfkit-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ["PERFKIT_OUTPUTS"] = str(out)
    env = {**os.environ, "PERFKIT_OUTPUTS": str(out), "PYTHONWARNINGS": "ignore"}
    try:
        from perfkit.run.batch import specs_for_workbook
        from perfkit.run.demo import demo_workbook_path
        from perfkit.run.warm import WarmPool

        t = time.perf_counter()
        wb = demo_workbook_path()
        print(f"demo district: {wb} ({time.perf_counter() - t:.1f} s to have it)")
        specs = specs_for_workbook(wb, batch="bench", limit=max(a.loop, a.warm))
        print(f"machine: {os.cpu_count()} CPU(s); python {sys.version.split()[0]}")

        # 1. naive loop
        loop_results: dict = {}
        if not a.no_loop:
            cpu0 = children_cpu()
            loop_s, loop_results = naive_loop(specs[:a.loop], out / "loop", env)
            loop_cpu = (children_cpu() - cpu0) / a.loop
            loop_rpm = a.loop / loop_s * 60
            print(f"naive papermill + nbconvert loop: {a.loop} reports in {loop_s:.1f} s = "
                  f"{loop_s / a.loop:.2f} s/report = {loop_rpm:.1f} reports/min "
                  f"({loop_cpu:.2f} CPU-s/report)")

        # 2. perfkit batch, warm
        cpu0 = children_cpu()
        warm_s, warm_smp = perfkit_batch(wb, batch="bench", limit=a.warm, jobs=a.jobs,
                                         env=env, sample=True)
        warm_cpu = (children_cpu() - cpu0) / a.warm
        warm_rpm = a.warm / warm_s * 60
        print(f"perfkit batch --engine warm --jobs {a.jobs}: {a.warm} reports in {warm_s:.1f} s"
              f" (start-up included) = {warm_rpm:.1f} reports/min ({warm_cpu:.2f} CPU-s/report"
              " with the start-up spread over the reports)")
        if not a.no_loop:
            print(f"CPU per report, loop ÷ batch: {loop_cpu / warm_cpu:.1f}× (what the ratio "
                  f"of reports/min tends to on an idle machine with one core per job: "
                  f"{loop_cpu / warm_cpu * min(a.jobs, os.cpu_count() or 1):.1f}×)")

        # 3. identical results.json
        same = differ = 0
        for pid, loop_file in loop_results.items():
            batch_file = out / "bench" / pid / "results.json"
            if loop_file.read_bytes() == batch_file.read_bytes():
                same += 1
            else:
                differ += 1
                print(f"  results.json differ for {pid}")
        if loop_results:
            print(f"results.json identical (loop vs batch): {same} of {same + differ}")
        if differ:
            raise SystemExit("the warm engine and papermill disagree")

        # 4. latency through a warm server
        t = time.perf_counter()
        with WarmPool(jobs=1) as pool:
            start = time.perf_counter() - t
            spec = specs[0].model_copy(update={"batch": "latency"})
            lat = []
            for _ in range(max(1, a.latency)):
                t = time.perf_counter()
                o = pool.submit(spec, root=out).result()
                lat.append(time.perf_counter() - t)
                assert o.status == "ok", o.error
        print(f"warm server start-up: {start:.1f} s; one report through it: "
              f"{min(lat):.2f} s (best of {len(lat)}; median {sorted(lat)[len(lat) // 2]:.2f} s;"
              " the first also reads the workbook into the server)")

        # 5. memory
        print_memory(f"{a.warm}-report batch above", warm_smp)
        if a.memory or a.thousand:
            if a.thousand:
                from perfkit.datasets.demo import generate, write
                big = out / "district_1000.xlsx"
                t = time.perf_counter()
                write(generate(seed=11, years=(2023, 2024), n_departments=30, n_projects=1000,
                               n_townships=20), big, format="xlsx")
                print(f"generated a 1,000-project district in {time.perf_counter() - t:.1f} s")
                n, src = 1000, big
            else:
                n, src = a.memory, wb
            mem_s, smp = perfkit_batch(src, batch="memory", limit=n, jobs=a.jobs, env=env,
                                       sample=True)
            print(f"extra batch: {n} reports in {mem_s:.1f} s = {n / mem_s * 60:.1f} "
                  "reports/min")
            print_memory(f"{n}-report batch", smp)
    finally:
        if not a.out:
            shutil.rmtree(out, ignore_errors=True)
    print(f"per_report_seconds_warm: {min(lat):.2f}")
    if not a.no_loop:
        print(f"speedup_vs_papermill_loop: {warm_rpm / loop_rpm:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
