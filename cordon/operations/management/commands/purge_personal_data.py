from django.core.management.base import BaseCommand

from cordon.accounts.permissions import SYSTEM
from cordon.operations.models import Operation
from cordon.operations.services import operation_purge_personal_data, purge_due


class Command(BaseCommand):
    help = (
        "Anonymise the staff data of closed operations whose retention period has run out "
        "(run it daily, e.g. from cron). Aggregate figures remain."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say what is due")

    def handle(self, *args, dry_run=False, **options):
        due = [op for op in Operation.objects.filter(status="closed") if purge_due(op)]
        if not due:
            self.stdout.write("No operation is due for purging.")
        for op in due:
            if dry_run:
                self.stdout.write(
                    f"Due: {op.name} (closed {op.ended_at:%Y-%m-%d}, {op.people.count()} people)."
                )
                continue
            n = operation_purge_personal_data(operation=op, by=SYSTEM)
            self.stdout.write(f"Anonymised {n} people of {op.name}.")
