from django.core.management.base import BaseCommand

from cordon import demo


class Command(BaseCommand):
    help = "Load the demo operation when the database holds no operation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load another copy even if an operation exists"
        )

    def handle(self, *args, force=False, **options):
        if not force and not demo.database_is_empty():
            self.stdout.write("An operation exists; nothing loaded (use --force).")
            return
        op = demo.demo_load()
        self.stdout.write(f"Loaded {op.name}: {op.people.count()} people.")
