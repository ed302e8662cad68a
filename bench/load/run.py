"""Intake load benchmark: one command, everything on loopback, started and stopped here.

Run: .venv/bin/python bench/load/run.py [--users 4,8,16] [--duration 60] [--rounds 3]
[--drain 60] (or bench/load/run.sh). Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; the
database asylum_load is dropped and created), redis-server on PATH, locust in the venv.

It starts redis-server (port 6421), an SMTP server that counts messages, one real celery
worker (queues default,email, concurrency 2) and gunicorn (2 sync workers), then runs
locust headless: at each concurrency, full intakes (IntakeUser), then straight after the bare
baseline view (BaselineUser), so each ratio compares two runs a minute apart on this noisy
machine; all of that `--rounds` times, and the summary gives the medians. After each intake
run it waits for the worker to drain and checks cases created == successful submits and
e-mails == 2 x that. Prints markdown tables (also written to bench/load/results-latest.md).
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATABASE = "asylum_load"
REDIS_PORT = 6421
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Processes:
    def __init__(self, workdir):
        self.workdir = workdir
        self.started = []  # (name, Popen)

    def start(self, name, argv, env, cwd=ROOT):
        out = open(self.workdir / f"{name}.log", "w")
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.started.append((name, proc))
        return proc

    def stop_all(self):
        for _name, proc in reversed(self.started):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)  # its own process group only
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for _name, proc in reversed(self.started):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        self.started.clear()


def cpu_seconds(procs: Processes) -> dict[str, float]:
    """CPU time (user + system, s) used so far by each part: the processes started here with
    their children, every PostgreSQL process (exited backends through the postmaster), and
    locust (a waited-for child of this process; only one runs at a time)."""
    used = {name: _tree_cpu(psutil.Process(proc.pid)) for name, proc in procs.started
            if proc.poll() is None}
    used["postgres"] = 0.0
    for process in psutil.process_iter(["name"]):
        if process.info["name"] == "postgres":
            try:
                times = process.cpu_times()
            except psutil.Error:  # a backend that just ended
                continue
            used["postgres"] += (times.user + times.system + times.children_user
                                 + times.children_system)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    used["locust"] = children.ru_utime + children.ru_stime
    return used


def _tree_cpu(root) -> float:
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
        if process is root:
            total += times.children_user + times.children_system
    return total


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up in {timeout}s")


def create_database():
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    conn.close()


def count_cases() -> int:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=DATABASE)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case")
            return cursor.fetchone()[0]
    finally:
        conn.close()


def count_mail(path) -> int:
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def read_stats(prefix):
    with open(f"{prefix}_final.json") as handle:
        return json.load(handle)


def num(row, key):
    value = row.get(key, "") if row else ""
    try:
        return float(value)
    except ValueError:
        return float("nan")


def run_locust(env, host, user_class, users, duration, prefix):
    argv = [PY, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
            "-u", str(users), "-r", str(users), "-t", f"{duration}s", "--stop-timeout", "30",
            "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
            user_class]
    started = time.monotonic()
    env = {**env, "BENCH_STATS": f"{prefix}_final.json"}
    with open(f"{prefix}.log", "w") as out:
        subprocess.run(argv, env=env, cwd=HERE, stdout=out, stderr=subprocess.STDOUT,
                       timeout=duration + 90, check=False)
    return time.monotonic() - started, read_stats(prefix)


def intake_run(env, host, users, args, workdir, mail_file, round_, procs) -> dict:
    cases0, mail0 = count_cases(), count_mail(mail_file)
    cpu0 = cpu_seconds(procs)
    log(f"round {round_}: {users} users x {args.duration}s, intakes then the baseline")
    elapsed, stats = run_locust(env, host, "IntakeUser", users, args.duration,
                                workdir / f"intake_{users}_{round_}")
    submit = stats.get("POST review (submit)")
    total = stats.get("Aggregated")
    ok_submits = int(num(submit, "Request Count") - num(submit, "Failure Count")) \
        if submit else 0
    cases = count_cases() - cases0
    expected_mail = 2 * cases
    deadline = time.monotonic() + args.drain
    drain_started = time.monotonic()
    while time.monotonic() < deadline and count_mail(mail_file) - mail0 < expected_mail:
        time.sleep(0.5)
    drained_in = time.monotonic() - drain_started
    time.sleep(2)  # anything extra (a duplicate) would show now
    mails = count_mail(mail_file) - mail0
    cpu = cpu_used(cpu0, cpu_seconds(procs))  # the worker's draining included
    return {
        "cpu": cpu,
        "round": round_, "users": users, "elapsed": elapsed, "submits": ok_submits,
        "cases": cases, "mails": mails, "drain_s": drained_in,
        "intakes_s": ok_submits / args.duration,
        "rps": num(total, "Requests/s"), "requests": int(num(total, "Request Count")),
        "errors": int(num(total, "Failure Count")),
        "submit_p50": num(submit, "50%"), "submit_p95": num(submit, "95%"),
        "submit_p99": num(submit, "99%"),
        "all_p50": num(total, "50%"), "all_p95": num(total, "95%"),
        "all_p99": num(total, "99%"),
    }


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", default="4,8,16")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--drain", type=int, default=60)
    return parser.parse_args()


def bench_env(workdir, smtp_port) -> dict:
    """The environment of every process started here: the load settings, asylum_load, our
    redis-server and SMTP counter, and this venv first on PATH."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "BENCH_SMTP_PORT": str(smtp_port),
        "BENCH_ANSWERS": str(workdir / "answers.json"),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env["PATH"] = str(Path(PY).parent) + os.pathsep + env.get("PATH", "")
    return env


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def start_redis(procs, env, workdir):
    redis = procs.start("redis", ["redis-server", "--port", str(REDIS_PORT), "--bind",
                                  "127.0.0.1", "--save", "", "--appendonly", "no",
                                  "--dir", str(workdir)], env)
    wait_until(lambda: socket.create_connection(("127.0.0.1", REDIS_PORT), 1).close()
               or True, 10, "redis-server")
    if redis.poll() is not None:
        raise RuntimeError("redis-server exited (port 6421 in use?)")


def prepare_database(env):
    """A fresh, migrated asylum_load, and the intake answers written for locust."""
    log("creating and migrating asylum_load")
    create_database()
    subprocess.run([PY, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT,
                   check=True)
    subprocess.run([PY, "-c", (
        "import django, json, os; django.setup(); from tests.intake_data import answers; "
        "json.dump(answers(), open(os.environ['BENCH_ANSWERS'], 'w'), ensure_ascii=False)"
    )], env=env, cwd=ROOT, check=True)


def start_app(procs, env, web_port, smtp_port, mail_file) -> str:
    """The SMTP counter, the celery worker and gunicorn; gunicorn's URL once it answers."""
    procs.start("smtp", [PY, str(HERE / "smtp_counter.py"), str(smtp_port),
                         str(mail_file)], env)
    wait_until(lambda: mail_file.exists(), 10, "SMTP server")
    procs.start("celery", [PY, "-m", "celery", "-A", "config.celery_app", "worker",
                           "--queues", "default,email", "--concurrency", "2",
                           "-l", "WARNING", "--without-gossip", "--without-mingle"], env)
    procs.start("gunicorn", [PY, "-m", "gunicorn", "config.wsgi:application",
                             "--workers", "2", "--bind", f"127.0.0.1:{web_port}",
                             "--log-level", "warning"], env)
    host = f"http://127.0.0.1:{web_port}"
    wait_until(lambda: urllib.request.urlopen(host + "/bench/baseline/", timeout=2)
               .status == 200, 30, "gunicorn")
    time.sleep(3)  # let the celery worker connect
    return host


def baseline_run(env, host, users, args, workdir, round_, procs, row):
    """The bare baseline view at the same concurrency, straight after; its figures go into
    the intake run's `row`, with the ratio of the two."""
    cpu0 = cpu_seconds(procs)
    _, stats = run_locust(env, host, "BaselineUser", users, args.duration,
                          workdir / f"baseline_{users}_{round_}")
    row["base_cpu"] = cpu_used(cpu0, cpu_seconds(procs))
    base = stats.get("Aggregated")
    row["base_rps"] = num(base, "Requests/s")
    row["base_requests"] = int(num(base, "Request Count"))
    row["base_errors"] = int(num(base, "Failure Count"))
    row["base_p50"], row["base_p95"] = num(base, "50%"), num(base, "95%")
    row["ratio"] = row["rps"] / row["base_rps"] if row["base_rps"] else float("nan")
    log(f"  baseline {row['base_rps']:.1f} req/s, errors {row['base_errors']}, "
        f"ratio {row['ratio']:.2f}")


def main():
    args = parse_args()
    levels = [int(n) for n in args.users.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    web_port, smtp_port = free_port(), free_port()
    mail_file = workdir / "mail.count"
    env = bench_env(workdir, smtp_port)
    procs = Processes(workdir)
    signal.signal(signal.SIGTERM, _interrupt)
    log(f"work directory {workdir}")
    try:
        start_redis(procs, env, workdir)
        prepare_database(env)
        host = start_app(procs, env, web_port, smtp_port, mail_file)
        results = []
        for round_ in range(1, args.rounds + 1):
            for users in levels:
                row = intake_run(env, host, users, args, workdir, mail_file, round_, procs)
                log(f"  {row}")
                baseline_run(env, host, users, args, workdir, round_, procs, row)
                results.append(row)
    finally:
        log("stopping everything")
        procs.stop_all()

    table = render(results, args, workdir)
    print(table)
    (HERE / "results-latest.md").write_text(table)
    (workdir / "results.json").write_text(json.dumps(results, indent=2))
    shutil.rmtree(workdir / "dump.rdb", ignore_errors=True)
    return 0 if all(exact_counts(r) for r in results) else 1


def render(results, args, workdir):
    header = (
        f"Intake load, {datetime.date.today()}, {platform.node()} "
        f"({os.cpu_count()} CPUs, {platform.platform()}), {args.rounds} rounds of "
        f"{args.duration}s runs, gunicorn 2 sync workers, celery 1 worker x2, locust on the "
        f"same machine.\nLatencies in ms (locust's bucketed percentiles). "
        f"Raw CSVs: {workdir}\n\n"
    )
    summary = ["| users | intakes/s | req/s | baseline req/s | ratio req/s (median) | "
               "ratios of the rounds | errors | submits = cases, e-mails = 2x |",
               "|---|---|---|---|---|---|---|---|"]
    for users in dict.fromkeys(r["users"] for r in results):
        rows = [r for r in results if r["users"] == users]
        exact = all(exact_counts(r) for r in rows)
        summary.append("| " + " | ".join([
            str(users),
            f"{statistics.median(r['intakes_s'] for r in rows):.2f}",
            f"{statistics.median(r['rps'] for r in rows):.1f}",
            f"{statistics.median(r['base_rps'] for r in rows):.1f}",
            f"**{statistics.median(r['ratio'] for r in rows):.2f}**",
            ", ".join(f"{r['ratio']:.2f}" for r in rows),
            str(sum(r["errors"] + r["base_errors"] for r in rows)),
            f"{sum(r['submits'] for r in rows)} submits: " + ("exact" if exact else "MISMATCH"),
        ]) + " |")
    cols = ["round", "users", "intakes/s", "req/s", "errors", "submit p50/p95/p99",
            "all p50/p95/p99", "submits ok", "cases", "e-mails (exp 2x)", "drain s",
            "baseline req/s", "baseline p50/p95", "baseline err", "ratio req/s"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in results:
        check = "OK" if exact_counts(r) else "MISMATCH"
        lines.append("| " + " | ".join([
            str(r["round"]), str(r["users"]), f"{r['intakes_s']:.2f}", f"{r['rps']:.1f}",
            str(r["errors"]),
            f"{r['submit_p50']:.0f}/{r['submit_p95']:.0f}/{r['submit_p99']:.0f}",
            f"{r['all_p50']:.0f}/{r['all_p95']:.0f}/{r['all_p99']:.0f}",
            str(r["submits"]), str(r["cases"]), f"{r['mails']} ({check})",
            f"{r['drain_s']:.1f}", f"{r['base_rps']:.1f}",
            f"{r['base_p50']:.0f}/{r['base_p95']:.0f}", str(r["base_errors"]),
            f"{r['ratio']:.2f}",
        ]) + " |")
    return (header + "\n".join(summary) + "\n\n" + render_cpu(results)
            + "\n\nEvery run:\n\n" + "\n".join(lines) + "\n")


PARTS = ("gunicorn", "postgres", "celery", "redis", "smtp", "locust")


def render_cpu(results) -> str:
    """Where the machine's CPU went: ms of CPU per HTTP request, by process, medians."""
    lines = ["CPU time per HTTP request, ms (user + system, medians of the rounds; the intake's "
             "include the worker sending its e-mails afterwards):", "",
             "| users | run | " + " | ".join(PARTS) + " | all |",
             "|---|---|" + "---|" * (len(PARTS) + 1)]
    for users in dict.fromkeys(r["users"] for r in results):
        rows = [r for r in results if r["users"] == users]
        for label, cpu, count in (("intake", "cpu", "requests"), ("baseline", "base_cpu",
                                                                   "base_requests")):
            per = [{part: 1000 * r[cpu].get(part, 0.0) / max(r[count], 1) for part in PARTS}
                   for r in rows]
            cells = [f"{statistics.median(p[part] for p in per):.2f}" for part in PARTS]
            total = statistics.median(sum(p.values()) for p in per)
            lines.append(f"| {users} | {label} | " + " | ".join(cells) + f" | {total:.2f} |")
    return "\n".join(lines)


def exact_counts(row) -> bool:
    return row["cases"] == row["submits"] and row["mails"] == 2 * row["submits"]


if __name__ == "__main__":
    sys.exit(main())
