from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cordon.accounts.permissions import SYSTEM
from cordon.operations import importers
from cordon.operations.models import Operation
from cordon.operations.selectors import current_operation


class Command(BaseCommand):
    help = (
        "Import people from an .xlsx or .csv file. Every row is checked first; nothing is "
        "written unless all rows are valid. --dry-run only checks and previews."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--operation", type=int)

    def handle(self, *args, file, dry_run=False, operation=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"file: {file} does not exist.")
        op = Operation.objects.filter(pk=operation).first() if operation else current_operation()
        if op is None:
            raise CommandError("operation: there is no such operation.")
        result = importers.parse_people(path.read_bytes(), path.name, operation=op)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s) in {path.name}; nothing imported.")
        counts = result.counts()
        summary = (
            f"{counts['create']} new, {counts['update']} updated, {counts['unchanged']} unchanged"
        )
        if dry_run:
            for row in result.rows:
                if row.action != "unchanged":
                    self.stdout.write(
                        f"row {row.row}: {row.action} {row.values['staff_number']} "
                        f"{row.values['name']} {' '.join(row.changes)}"
                    )
            self.stdout.write(f"Dry run, nothing written: {summary}.")
            return
        importers.import_people(result, operation=op, by=SYSTEM)
        self.stdout.write(f"Imported {path.name}: {summary}.")
