from django.conf import settings

from . import permissions


def cordon(request):
    """What every page needs: the current operation and what the user may do."""
    user = getattr(request, "user", None)
    return {
        "operation": getattr(request, "operation", None),
        "can_edit_people": permissions.can_edit_people(user),
        "can_edit_places": permissions.can_edit_places(user),
        "can_import_people": permissions.can_import_people(user),
        "sees_all_people": permissions.sees_all_people(user),
        "is_administrator": bool(user and user.is_authenticated and user.is_administrator),
        "map_tiles": settings.CORDON_MAP_TILES,
    }
