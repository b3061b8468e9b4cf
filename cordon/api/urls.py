"""The JSON API: django-ninja, OpenAPI at /api/docs, each app's router under one NinjaAPI.

Authentication: a browser session (with its CSRF token for writes) or an API token in
`Authorization: Bearer KEY`. Permissions are the pages' own (cordon.accounts.permissions).
Errors: 401 without credentials, 403 without permission, 404 unknown or invisible object,
422 invalid input, always naming the field in `detail[].loc`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from cordon.accounts.models import ApiToken
from cordon.deployment.api import router as deployment_router
from cordon.operations.api import router as operations_router
from cordon.sites.api import router as sites_router


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user  # services and permissions read request.user, as in pages
        return user


api = NinjaAPI(
    title="Cordon API",
    version="1",
    description="Operations, units, people, zones, sites, posts and staffing demand; "
    "deployment plans, publishing, repair and rosters.",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
)


def _loc(field: str) -> list[str]:
    return ["body", "payload", field] if field != "__all__" else ["body", "payload"]


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": _loc(field), "msg": msg, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for msg in messages
        ]
    else:
        detail = [
            {"loc": ["body", "payload"], "msg": msg, "type": "value_error"} for msg in exc.messages
        ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": str(exc) or "You do not have permission to do this."}, status=403
    )


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


api.add_router("/", operations_router)
api.add_router("/", sites_router)
api.add_router("/", deployment_router)
