from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cordon.operations.exports import people_xlsx
from cordon.operations.models import Operation, Person
from cordon.operations.selectors import current_operation


class Command(BaseCommand):
    help = "Export the operation's people to an .xlsx file (the importer reads it back)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--operation", type=int)

    def handle(self, *args, file, operation=None, **options):
        path = Path(file)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("file: the export is an .xlsx file; name it *.xlsx.")
        op = Operation.objects.filter(pk=operation).first() if operation else current_operation()
        if op is None:
            raise CommandError("operation: there is no such operation.")
        people = Person.objects.filter(operation=op)
        data = people_xlsx(operation=op, people=people)
        path.write_bytes(data.getvalue())
        self.stdout.write(f"Wrote {people.count()} people to {path}.")
