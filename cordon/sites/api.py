"""JSON API of the sites app: zones, sites, posts, staffing demand and map data."""

from datetime import date, datetime
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from cordon.accounts import permissions
from cordon.api.common import by_code, operation_for
from cordon.operations.models import ShiftPattern, ShiftType, Unit

from . import selectors, services
from .choices import SiteKindChoices, ZoneKindChoices, ZoneStateChoices
from .models import Post, PostDemand, Site, Zone

router = Router(tags=["places"])


class ZoneOut(Schema):
    id: int
    code: str
    name: str
    kind: ZoneKindChoices
    station: str = Field(alias="station.code")
    boundary: dict[str, Any]
    activated_at: datetime
    lifted_at: datetime | None
    state: ZoneStateChoices

    @staticmethod
    def resolve_state(obj: Zone) -> str:
        return obj.state()


class ZoneIn(Schema):
    code: str
    name: str
    kind: ZoneKindChoices
    station: str
    boundary: dict[str, Any]
    activated_at: datetime
    lifted_at: datetime | None = None


class ZonePatch(Schema):
    code: str | None = None
    name: str | None = None
    kind: ZoneKindChoices | None = None
    station: str | None = None
    boundary: dict[str, Any] | None = None
    activated_at: datetime | None = None
    lifted_at: datetime | None = None


class SiteOut(Schema):
    id: int
    code: str
    name: str
    kind: SiteKindChoices
    latitude: float
    longitude: float
    zone: str | None = Field(None, alias="zone.code")
    station: str = Field(alias="station.code")
    grid: str | None = Field(None, alias="grid.code")


class SiteIn(Schema):
    code: str
    name: str
    kind: SiteKindChoices
    latitude: float
    longitude: float
    station: str
    zone: str | None = None
    grid: str | None = None


class SitePatch(Schema):
    code: str | None = None
    name: str | None = None
    kind: SiteKindChoices | None = None
    latitude: float | None = None
    longitude: float | None = None
    station: str | None = None
    zone: str | None = None
    grid: str | None = None


class DemandOut(Schema):
    id: int
    shift: str = Field(alias="shift_type.code")
    headcount: int
    leaders: int
    skills: dict[str, int]
    first_day: date | None
    last_day: date | None


class DemandIn(Schema):
    shift: str
    headcount: int = Field(ge=0)
    leaders: int = Field(0, ge=0)
    skills: dict[str, int] = {}
    first_day: date | None = None
    last_day: date | None = None


class DemandPatch(Schema):
    shift: str | None = None
    headcount: int | None = Field(None, ge=0)
    leaders: int | None = Field(None, ge=0)
    skills: dict[str, int] | None = None
    first_day: date | None = None
    last_day: date | None = None


class PostOut(Schema):
    id: int
    code: str
    name: str
    site: str = Field(alias="site.code")
    shift_pattern: str = Field(alias="shift_pattern.code")
    bubble: str | None
    demand: list[DemandOut]

    @staticmethod
    def resolve_demand(obj: Post) -> list:
        return list(obj.demands.all())


class PostIn(Schema):
    code: str
    name: str
    site: str
    shift_pattern: str


class PostPatch(Schema):
    code: str | None = None
    name: str | None = None
    site: str | None = None
    shift_pattern: str | None = None


def _zones(request, op):
    return permissions.places_visible(request.user, Zone.objects.filter(operation=op))


def _sites(request, op):
    return permissions.places_visible(request.user, Site.objects.filter(operation=op))


def _posts(request, op):
    return permissions.places_visible(
        request.user, Post.objects.filter(operation=op), "site__station_id"
    )


def _refs(op, data: dict) -> dict:
    """Replace codes in a write payload with the objects they name (422 naming the field)."""
    if data.get("station") is not None:
        data["station"] = by_code(Unit, op, "station", data["station"], kind="station")
    if "zone" in data:
        data["zone"] = by_code(Zone, op, "zone", data["zone"])
    if "grid" in data:
        data["grid"] = by_code(Site, op, "grid", data["grid"], kind="sampling_grid")
    if data.get("site") is not None:
        data["site"] = by_code(Site, op, "site", data["site"])
    if data.get("shift_pattern") is not None:
        data["shift_pattern"] = by_code(ShiftPattern, op, "shift_pattern", data["shift_pattern"])
    if data.get("shift") is not None:
        data["shift_type"] = by_code(ShiftType, op, "shift", data.pop("shift"))
    data.pop("shift", None)
    return data


@router.get("/zones", response=list[ZoneOut])
def list_zones(
    request,
    operation: int | None = None,
    kind: ZoneKindChoices | None = None,
    state: ZoneStateChoices | None = None,
):
    op = operation_for(request, operation)
    qs = _zones(request, op).select_related("station")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(selectors.zone_state_filter(state, timezone.now()))
    return list(qs)


@router.post("/zones", response={201: ZoneOut})
def create_zone(request, payload: ZoneIn, operation: int | None = None):
    op = operation_for(request, operation)
    permissions.require(permissions.can_edit_places(request.user))
    return Status(
        201, services.zone_create(operation=op, by=request.user, **_refs(op, payload.dict()))
    )


@router.get("/zones/{int:pk}", response=ZoneOut)
def get_zone(request, pk: int, operation: int | None = None):
    op = operation_for(request, operation)
    return get_object_or_404(_zones(request, op).select_related("station"), pk=pk)


@router.patch("/zones/{int:pk}", response=ZoneOut)
def patch_zone(request, pk: int, payload: ZonePatch, operation: int | None = None):
    op = operation_for(request, operation)
    zone = get_object_or_404(_zones(request, op), pk=pk)
    return services.zone_update(
        zone=zone, by=request.user, **_refs(op, payload.dict(exclude_unset=True))
    )


@router.get("/sites", response=list[SiteOut])
@paginate(LimitOffsetPagination)
def list_sites(
    request,
    operation: int | None = None,
    kind: SiteKindChoices | None = None,
    zone: str | None = None,
    station: str | None = None,
):
    op = operation_for(request, operation)
    qs = _sites(request, op).select_related("zone", "station", "grid").order_by("code")
    if kind:
        qs = qs.filter(kind=kind)
    if zone:
        qs = qs.filter(zone__code=zone)
    if station:
        qs = qs.filter(station__code=station)
    return qs


@router.post("/sites", response={201: SiteOut})
def create_site(request, payload: SiteIn, operation: int | None = None):
    op = operation_for(request, operation)
    permissions.require(permissions.can_edit_places(request.user))
    return Status(
        201, services.site_create(operation=op, by=request.user, **_refs(op, payload.dict()))
    )


@router.get("/sites/{int:pk}", response=SiteOut)
def get_site(request, pk: int, operation: int | None = None):
    op = operation_for(request, operation)
    return get_object_or_404(_sites(request, op).select_related("zone", "station", "grid"), pk=pk)


@router.patch("/sites/{int:pk}", response=SiteOut)
def patch_site(request, pk: int, payload: SitePatch, operation: int | None = None):
    op = operation_for(request, operation)
    site = get_object_or_404(_sites(request, op), pk=pk)
    return services.site_update(
        site=site, by=request.user, **_refs(op, payload.dict(exclude_unset=True))
    )


@router.get("/posts", response=list[PostOut])
@paginate(LimitOffsetPagination)
def list_posts(request, operation: int | None = None, kind: SiteKindChoices | None = None):
    op = operation_for(request, operation)
    qs = (
        _posts(request, op)
        .select_related("site", "site__zone", "shift_pattern")
        .prefetch_related("demands__shift_type")
        .order_by("code")
    )
    if kind:
        qs = qs.filter(site__kind=kind)
    return qs


@router.post("/posts", response={201: PostOut})
def create_post(request, payload: PostIn, operation: int | None = None):
    op = operation_for(request, operation)
    permissions.require(permissions.can_edit_places(request.user))
    return Status(
        201, services.post_create(operation=op, by=request.user, **_refs(op, payload.dict()))
    )


def _post(request, op, pk) -> Post:
    return get_object_or_404(
        _posts(request, op)
        .select_related("site", "site__zone", "shift_pattern")
        .prefetch_related("demands__shift_type"),
        pk=pk,
    )


@router.get("/posts/{int:pk}", response=PostOut)
def get_post(request, pk: int, operation: int | None = None):
    return _post(request, operation_for(request, operation), pk)


@router.patch("/posts/{int:pk}", response=PostOut)
def patch_post(request, pk: int, payload: PostPatch, operation: int | None = None):
    op = operation_for(request, operation)
    post = services.post_update(
        post=_post(request, op, pk), by=request.user, **_refs(op, payload.dict(exclude_unset=True))
    )
    return _post(request, op, post.pk)


@router.post("/posts/{int:pk}/demand", response={201: DemandOut})
def create_demand(request, pk: int, payload: DemandIn, operation: int | None = None):
    op = operation_for(request, operation)
    post = _post(request, op, pk)
    return Status(
        201, services.demand_create(post=post, by=request.user, **_refs(op, payload.dict()))
    )


def _demand(request, op, pk) -> PostDemand:
    posts = _posts(request, op)
    return get_object_or_404(
        PostDemand.objects.select_related("post__site", "shift_type").filter(post__in=posts), pk=pk
    )


@router.patch("/demand/{int:pk}", response=DemandOut)
def patch_demand(request, pk: int, payload: DemandPatch, operation: int | None = None):
    op = operation_for(request, operation)
    return services.demand_update(
        demand=_demand(request, op, pk),
        by=request.user,
        **_refs(op, payload.dict(exclude_unset=True)),
    )


@router.delete("/demand/{int:pk}", response={204: None})
def delete_demand(request, pk: int, operation: int | None = None):
    op = operation_for(request, operation)
    services.demand_delete(demand=_demand(request, op, pk), by=request.user)
    return Status(204, None)


@router.get("/map", response=dict[str, Any])
def map_data(request, operation: int | None = None):
    """Zones and sites as a GeoJSON FeatureCollection, as the map page draws them."""
    op = operation_for(request, operation)
    return selectors.map_features(
        zones=_zones(request, op), sites=_sites(request, op), moment=timezone.now()
    )
