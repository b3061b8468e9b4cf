"""Users with a role, an optional station and a link to their own staff record; API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import UserLanguageChoices, UserRoleChoices


class User(AbstractUser):
    """A login. The role decides what it may see and change (cordon.accounts.permissions).

    A station chief and a post leader are scoped to `station`; a field officer is linked to their
    own staff record through `person` and sees only that.
    """

    role = models.CharField(
        _("role"), max_length=20, choices=UserRoleChoices, default=UserRoleChoices.VIEWER
    )
    station = models.ForeignKey(
        "operations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("station"),
        limit_choices_to={"kind": "station"},
    )
    person = models.OneToOneField(
        "operations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("staff record"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=UserLanguageChoices, blank=True, default=""
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def clean(self) -> None:
        super().clean()
        if self.role == UserRoleChoices.STATION_CHIEF and not self.station_id:
            raise ValidationError({"station": _("A station chief needs a station.")})
        if self.station_id and self.station.kind != "station":
            raise ValidationError({"station": _("Choose a police station.")})

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == UserRoleChoices.ADMINISTRATOR


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token and return it with its key; the key is not stored and not shown again."""
        key = "cdn_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[4:12], key_hash=cls.hash(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=cls.hash(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
