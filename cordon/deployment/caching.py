"""Cached copies of what many people read at once: the duty sheet and the deployment map's data.

A copy is keyed by the operation's data stamp (operations/stamps.py), the user's scope (role,
station and person, which decide what the user may see), the language and the request's own
parameters; any change to the data gives a new stamp, so a copy is never stale. Copies live in
Django's cache (per process by default); they expire after CACHE_SECONDS regardless.
"""

import hashlib

from django.core.cache import cache
from django.utils import translation

from cordon.accounts import permissions

CACHE_SECONDS = 600


def key(request, name: str, *parts) -> str:
    op = request.operation
    user = request.user
    scope = (permissions.role(user), user.station_id, user.person_id)
    raw = repr((name, op.pk, op.data_stamp, scope, translation.get_language(), parts))
    return "cordon:" + name + ":" + hashlib.sha256(raw.encode()).hexdigest()


def cached(request, name: str, parts: tuple, build):
    """The cached value for (request's scope, name, parts), made by `build()` when missing."""
    k = key(request, name, *parts)
    value = cache.get(k)
    if value is None:
        value = build()
        cache.set(k, value, CACHE_SECONDS)
    return value
