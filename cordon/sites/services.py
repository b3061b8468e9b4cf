"""Writes of the sites app: zones, sites, posts and staffing demand.

A station chief changes only places owned by their station; planners and administrators change
all. Every write is validated whole, atomic, and attributed to `by` in the audit history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cordon.accounts import permissions
from cordon.operations.models import Operation

from .models import Post, PostDemand, Site, Zone

ZONE_FIELDS = ("code", "name", "kind", "station", "boundary", "activated_at", "lifted_at")
SITE_FIELDS = ("code", "name", "kind", "latitude", "longitude", "zone", "station", "grid")
POST_FIELDS = ("code", "name", "site", "shift_pattern")
DEMAND_FIELDS = ("shift_type", "headcount", "leaders", "skills", "first_day", "last_day")


def _save(instance, by):
    instance._history_user = permissions.history_user(by)
    instance.full_clean()
    instance.save()
    return instance


def _assign(instance, names, fields) -> None:
    for name in names:
        if name in fields:
            setattr(instance, name, fields[name])


def _require_station(by, station_id) -> None:
    permissions.require(
        permissions.can_edit_place(by, station_id),
        _("You may change only the places of your own station."),
    )


@transaction.atomic
def zone_create(*, operation: Operation, by, **fields) -> Zone:
    zone = Zone(operation=operation)
    _assign(zone, ZONE_FIELDS, fields)
    _require_station(by, zone.station_id)
    return _save(zone, by)


@transaction.atomic
def zone_update(*, zone: Zone, by, **fields) -> Zone:
    _require_station(by, zone.station_id)
    _assign(zone, ZONE_FIELDS, fields)
    _require_station(by, zone.station_id)
    return _save(zone, by)


@transaction.atomic
def site_create(*, operation: Operation, by, **fields) -> Site:
    site = Site(operation=operation)
    _assign(site, SITE_FIELDS, fields)
    _require_station(by, site.station_id)
    return _save(site, by)


@transaction.atomic
def site_update(*, site: Site, by, **fields) -> Site:
    _require_station(by, site.station_id)
    _assign(site, SITE_FIELDS, fields)
    _require_station(by, site.station_id)
    return _save(site, by)


@transaction.atomic
def post_create(*, operation: Operation, by, **fields) -> Post:
    post = Post(operation=operation)
    _assign(post, POST_FIELDS, fields)
    if post.site_id:
        _require_station(by, post.site.station_id)
    return _save(post, by)


@transaction.atomic
def post_update(*, post: Post, by, **fields) -> Post:
    _require_station(by, post.site.station_id)
    _assign(post, POST_FIELDS, fields)
    _require_station(by, post.site.station_id)
    if (
        "shift_pattern" in fields
        and post.demands.exclude(shift_type__pattern=post.shift_pattern).exists()
    ):
        raise ValidationError(
            {
                "shift_pattern": _(
                    "The post has demand on shifts of its old pattern; change or remove it first."
                )
            }
        )
    return _save(post, by)


@transaction.atomic
def demand_create(*, post: Post, by, **fields) -> PostDemand:
    _require_station(by, post.site.station_id)
    demand = PostDemand(post=post)
    _assign(demand, DEMAND_FIELDS, fields)
    return _save(demand, by)


@transaction.atomic
def demand_update(*, demand: PostDemand, by, **fields) -> PostDemand:
    _require_station(by, demand.post.site.station_id)
    _assign(demand, DEMAND_FIELDS, fields)
    return _save(demand, by)


@transaction.atomic
def demand_delete(*, demand: PostDemand, by) -> None:
    _require_station(by, demand.post.site.station_id)
    demand._history_user = permissions.history_user(by)
    demand.delete()
