"""Per-user language and the operation's timezone for every request."""

import zoneinfo

from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from cordon.operations.selectors import current_operation


class UserPreferencesMiddleware:
    """Apply the signed-in user's language (else the browser's, from LocaleMiddleware) and show
    times in the current operation's timezone. Sets `request.operation` lazily."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.operation = SimpleLazyObject(lambda: current_operation(request))
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        op = request.operation
        if op:
            timezone.activate(zoneinfo.ZoneInfo(op.timezone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
