"""The `cordon` command: run, serve, migrate, manage users, import and export, plan.

cordon demo                 make ./cordon-data, migrate, load the demo operation, serve it
cordon serve                migrate and serve on http://127.0.0.1:8000 (gunicorn)
cordon migrate              apply database migrations
cordon createuser NAME      create a login with a role
cordon import people FILE   import people from .xlsx or .csv (use --dry-run to preview)
cordon export people FILE   export people to .xlsx
cordon plan ...             the planner on scenario files, without a database
cordon manage ...           any Django management command
"""

import argparse
import os
import subprocess
import sys


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordon.settings")
    from cordon.i18n import compile_catalogs

    compile_catalogs()
    import django

    django.setup()


def _call(*args, **kwargs) -> None:
    from django.core.management import call_command

    call_command(*args, **kwargs)


def _prepare(*, demo: bool, plan_demo: bool = True) -> None:
    """Migrate, collect static files, and load the demo operation when asked and empty."""
    from django.conf import settings

    print(f"Data directory: {settings.DATA_DIR}")
    print(
        f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
        f"{settings.DATABASES['default']['NAME']}"
    )
    _call("migrate", interactive=False, verbosity=0)
    _call("collectstatic", interactive=False, verbosity=0)
    if demo:
        from cordon import demo as demo_module

        if demo_module.database_is_empty():
            print("Loading the demo operation ...", flush=True)
            op = demo_module.demo_load()
            print(
                f"Loaded: {op.name}, {op.people.count()} people, {op.zones.count()} zones, "
                f"{op.sites.count()} sites, {op.posts.count()} posts."
            )
            if plan_demo:
                demo_module.demo_queue_plan(op)
                print(
                    "The background worker is planning the whole operation; for the demo the "
                    "plan is published as soon as it is made (about a minute)."
                )
        else:
            print("The database already holds an operation; the demo is not loaded again.")


def _serve(host: str, port: int, workers: int, *, demo: bool) -> int:
    from gunicorn.app.base import BaseApplication

    from cordon.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-")
            self.cfg.set("preload_app", False)

        def load(self):
            return application

    address = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    print(f"\nCordon is running at {address}  (Ctrl-C stops it)")
    if demo:
        from cordon.demo import DEMO_PASSWORD, demo_logins

        print(f"Demo logins (demo only; every password is {DEMO_PASSWORD!r}):")
        for username, role in demo_logins():
            print(f"  {username:<10} {role}")
    sys.stdout.flush()
    Server().run()
    return 0


def _start_worker(args):
    """One background worker beside the web server, stopped when the server stops."""
    if args.no_worker:
        return None
    return subprocess.Popen([sys.executable, "-m", "cordon.cli", "worker"], env=os.environ.copy())


def _stop(worker) -> None:
    if worker is not None and worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def cmd_demo(args) -> int:
    _django()
    _prepare(demo=True, plan_demo=not args.no_worker)
    worker = _start_worker(args)
    try:
        return _serve(args.host, args.port, args.workers, demo=True)
    finally:
        _stop(worker)


def cmd_serve(args) -> int:
    _django()
    _prepare(demo=False)
    worker = _start_worker(args)
    try:
        return _serve(args.host, args.port, args.workers, demo=False)
    finally:
        _stop(worker)


def cmd_worker(args) -> int:
    _django()
    from cordon.deployment.services import plans_requeue_interrupted

    if n := plans_requeue_interrupted():
        print(f"Queued again {n} plan(s) interrupted when a worker stopped.", flush=True)
    _call("db_worker", interval=args.interval, batch=args.batch)
    return 0


def cmd_migrate(args) -> int:
    _django()
    _call("migrate", interactive=False)
    return 0


def cmd_createuser(args) -> int:
    _django()
    options = {
        "role": args.role,
        "station": args.station,
        "person": args.person,
        "password_stdin": args.password_stdin,
    }
    _call("createuser", args.username, **options)
    return 0


def cmd_import(args) -> int:
    _django()
    _call("import_people", args.file, dry_run=args.dry_run, operation=args.operation)
    return 0


def cmd_export(args) -> int:
    _django()
    _call("export_people", args.file, operation=args.operation)
    return 0


def cmd_manage(args) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cordon manage", *args.rest])
    return 0


def cmd_plan(args) -> int:
    from cordon.cli_plan import main as plan_main

    return plan_main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cordon",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def server_options(p):
        p.add_argument("--host", default="127.0.0.1", help="address to listen on")
        p.add_argument("--port", type=int, default=8000, help="port to listen on")
        p.add_argument("--workers", type=int, default=2, help="web server processes")
        p.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a background worker (run `cordon worker` elsewhere)",
        )

    p = sub.add_parser("demo", help="load the demo operation (when empty) and serve it")
    server_options(p)
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("serve", help="migrate and serve Cordon")
    server_options(p)
    p.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    p = sub.add_parser("worker", help="run planning jobs in the background")
    p.add_argument("--interval", type=float, default=0.5, help="seconds between queue polls")
    p.add_argument("--batch", action="store_true", help="run the queued jobs, then exit")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("createuser", help="create a login with a role")
    p.add_argument("username")
    p.add_argument(
        "--role",
        required=True,
        help="commander, planner, station_chief, post_leader, "
        "field_officer, logistics, medical, viewer or administrator",
    )
    p.add_argument("--station", help="station code (station chiefs and post leaders)")
    p.add_argument("--person", help="staff number of the user's own staff record")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    p.set_defaults(func=cmd_createuser)

    p = sub.add_parser("import", help="import data from a file")
    p.add_argument("what", choices=["people"])
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check and preview, write nothing")
    p.add_argument("--operation", type=int, help="operation id (default: the current one)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export data to a file")
    p.add_argument("what", choices=["people"])
    p.add_argument("file", help="an .xlsx file to write")
    p.add_argument("--operation", type=int, help="operation id (default: the current one)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    p = sub.add_parser("plan", help="plan or check a scenario file (no database)", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_plan)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    # `manage` and `plan` pass everything after them through untouched (including --help).
    if argv and argv[0] in ("manage", "plan"):
        args = argparse.Namespace(
            rest=argv[1:], func=cmd_manage if argv[0] == "manage" else cmd_plan
        )
    else:
        args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
