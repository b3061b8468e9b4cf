import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cordon.accounts.choices import UserRoleChoices
from cordon.operations.models import Person, Unit
from cordon.operations.selectors import current_operation


class Command(BaseCommand):
    help = "Create a login with a role (and a station or staff record where the role needs one)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=UserRoleChoices.values)
        parser.add_argument("--station", help="station code")
        parser.add_argument("--person", help="staff number of the user's own staff record")
        parser.add_argument("--password-stdin", action="store_true")

    @transaction.atomic
    def handle(
        self, *args, username, role, station=None, person=None, password_stdin=False, **options
    ):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"username: {username!r} is taken.")
        op = current_operation(None)
        user = User(username=username, role=role)
        if station:
            user.station = Unit.objects.filter(operation=op, code=station, kind="station").first()
            if user.station is None:
                raise CommandError(f"--station: {station!r} is not a station of the operation.")
        if person:
            user.person = Person.objects.filter(operation=op, staff_number=person).first()
            if user.person is None:
                raise CommandError(f"--person: no staff number {person!r} in the operation.")
            user.station = user.station or (
                user.person.home_unit if user.person.home_unit.kind == "station" else None
            )
        if role == UserRoleChoices.ADMINISTRATOR:
            user.is_staff = user.is_superuser = True
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("password: the two entries differ.")
        try:
            validate_password(password, user)
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        self.stdout.write(f"Created {username} ({UserRoleChoices(role).label}).")
