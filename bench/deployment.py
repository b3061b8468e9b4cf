"""Benchmark: deployment in the app, on the demo operation (issue: "Deployment in the app").

Loads the demo operation into a fresh SQLite (or CORDON_DATABASE_URL) database, then measures:
building the scenario from the database, planning the whole 24 days, storing and publishing the
plan, marking 5 people sick from day 9 and repairing (stored, ready to publish); then serves the
app with gunicorn on loopback and drives the duty sheet (roster by day) and the deployment map's
data endpoint with 20 concurrent clients, printing median and 95th percentile.

    python bench/deployment.py [--clients 20] [--requests 15] [--time-limit 60]

It prints figures and exits 0; it is not a test. Targets: the 24-day plan stored and published
within 90 s; the pages' 95th percentile under 300 ms. The pages are measured twice: as Cordon
serves them, and as the baseline with the cache off (CORDON_CACHE=none: every request builds
the page from the database).
"""

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(data_dir: str) -> None:
    os.environ["CORDON_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordon.settings")
    sys.path.insert(0, str(ROOT))
    from cordon.i18n import compile_catalogs

    compile_catalogs()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def timed(label: str, fn, results: dict):
    started = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - started
    print(f"  {label:<44} {results[label]:8.2f} s", flush=True)
    return value


def plan_and_repair(time_limit: float, repair_limit: float) -> dict:
    from django.conf import settings

    from cordon.accounts.models import User
    from cordon.demo import demo_load
    from cordon.deployment import scenario as scenario_module
    from cordon.deployment import services
    from cordon.deployment.models import Duty

    settings.CORDON_PLAN_TIME_LIMIT = time_limit
    settings.CORDON_REPAIR_TIME_LIMIT = repair_limit
    results: dict = {}
    op = timed("load the demo operation", demo_load, results)
    planner = User.objects.get(username="planner")
    first, last = op.first_day(), op.last_day()
    timed(
        "build the 24-day scenario from the database",
        lambda: scenario_module.build_scenario(operation=op, first_day=first, last_day=last),
        results,
    )
    plan = timed(
        "queue the plan (scenario stored)",
        lambda: services.plan_request(
            operation=op, first_day=first, last_day=last, by=planner, enqueue=False
        ),
        results,
    )
    plan = timed(
        "plan 24 days and store the draft", lambda: services.plan_run(plan_id=plan.pk), results
    )
    if plan.status != "draft":
        print(f"  planning failed: {plan.error}")
        return results
    timed(
        "publish (check + write the roster)",
        lambda: services.plan_publish(plan=plan, by=planner),
        results,
    )
    total = (
        results["queue the plan (scenario stored)"]
        + results["plan 24 days and store the draft"]
        + results["publish (check + write the roster)"]
    )
    print(
        f"  => 24-day plan made, stored and published in {total:.1f} s "
        f"(target 90 s); coverage {plan.coverage}%, "
        f"{Duty.objects.filter(operation=op).count()} duties, planner {plan.seconds} s"
    )

    sick_day = first + timedelta(days=8)  # day 9 of the operation
    people = list(
        Duty.objects.filter(operation=op, date__gte=sick_day)
        .values_list("person", flat=True)
        .distinct()[:200:40]
    )[:5]
    lost = Duty.objects.filter(person__in=people, date__gte=sick_day).count()

    def sick_out():
        from cordon.operations.models import Person

        moment = datetime.combine(sick_day, dtime(0), tzinfo=op.tz)
        for person in Person.objects.filter(pk__in=people):
            services.mark_unavailable(person=person, status="sick", from_moment=moment, by=planner)

    timed("mark 5 people sick from day 9", sick_out, results)

    def repair():
        draft = services.repair_request(operation=op, from_day=sick_day, by=planner, enqueue=False)
        return services.plan_run(plan_id=draft.pk)

    draft = timed("repair: build, plan and store the draft", repair, results)
    from cordon.deployment.selectors import plan_changes

    changes = plan_changes(
        old=Duty.objects.filter(operation=op, date__gte=sick_day), new=draft.assignments.all()
    )
    changed = sum(len(c["added"]) + len(c["removed"]) for c in changes)
    print(
        f"  => repair on screen in {results['repair: build, plan and store the draft']:.2f} s "
        f"(target 5 s): {changed} assignments changed for {len(changes)} people; the sick "
        f"people had {lost} duties from day 9; coverage {draft.coverage}%"
    )
    timed("publish the repair", lambda: services.plan_publish(plan=draft, by=planner), results)
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base: str, username: str, password: str = "cordon-demo"):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(
        urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
    )
    return opener


def load(base: str, path: str, clients: int, per_client: int, quiet=False) -> list[float]:
    openers = [login(base, "commander") for _ in range(clients)]
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(opener):
        barrier.wait()
        for _ in range(per_client):
            started = time.perf_counter()
            try:
                with opener.open(f"{base}{path}", timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except OSError as exc:
                ok = False
                with lock:
                    errors.append(str(exc))
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    times.append(elapsed)

    threads = [threading.Thread(target=client, args=(o,)) for o in openers]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
    if quiet:
        return times
    print(
        f"  {path:<48} {len(times):4d} ok {len(errors):3d} failed   median "
        f"{statistics.median(times) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   max "
        f"{times[-1] * 1000:7.1f} ms   {len(times) / wall:6.1f} req/s",
        flush=True,
    )
    return times


def serve_and_load(data_dir: str, clients: int, per_client: int, cache: str) -> None:
    port = free_port()
    env = dict(os.environ, CORDON_DATA_DIR=data_dir, CORDON_CACHE=cache)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cordon.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--no-worker",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        from cordon.operations.models import Operation

        day = Operation.objects.get().reporting_day().isoformat()
        label = {"memory": "Cordon", "none": "baseline: the same pages, cache off"}[cache]
        print(
            f"\n{label} (CORDON_CACHE={cache}): pages under {clients} concurrent clients x "
            f"{per_client} requests (gunicorn, 2 processes x 4 threads, loopback):"
        )
        for path in (f"/deployment/roster/?day={day}", f"/deployment/map/data.json?day={day}"):
            load(base, path, clients, 1, quiet=True)  # warm-up
            load(base, path, clients, per_client)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=15, help="requests per client and page")
    parser.add_argument("--time-limit", type=float, default=60, help="planner seconds (plan)")
    parser.add_argument("--repair-limit", type=float, default=4, help="planner seconds (repair)")
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="cordon-bench-")
    print(f"Deployment benchmark ({os.cpu_count()} cores), data in {data_dir}")
    setup_django(data_dir)
    from django.conf import settings

    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    plan_and_repair(args.time_limit, args.repair_limit)
    for cache in ("memory", "none"):  # the same database, served
        serve_and_load(data_dir, args.clients, args.requests, cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
