"""Pages of zones, sites, posts and their demand, and the map."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.accounts import permissions
from cordon.operations.audit import history_rows

from . import selectors, services
from .choices import SiteKindChoices
from .forms import DemandForm, PostForm, SiteFilterForm, SiteForm, ZoneFilterForm, ZoneForm
from .models import Post, PostDemand, Site, Zone


def _operation(request):
    if not request.operation:
        raise Http404(_("There is no operation yet."))
    return request.operation


def _own_station(request):
    """The station a station chief is limited to in forms, else None."""
    return request.user.station_id if permissions.role(request.user) == "station_chief" else None


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _edit(request, *, instance, form_class, fields, create, update, nav, new_title, cancel):
    """Create or change one place through its service: the shared body of the edit pages.

    `station_id` of the place (or, for a new one, the user's right to add places) decides
    whether the user may do it; the service checks again, and refuses a move to another station.
    """
    op = _operation(request)
    station_id = getattr(instance, "station_id", None) or (
        instance.site.station_id if isinstance(instance, Post) else None
    )
    permissions.require(
        permissions.can_edit_place(request.user, station_id)
        if instance
        else permissions.can_edit_places(request.user)
    )
    form = form_class(
        request.POST or None, instance=instance, operation=op, station=_own_station(request)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in fields}
        try:
            instance = (
                create(operation=op, by=request.user, **data)
                if instance is None
                else update(instance, by=request.user, **data)
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(instance.get_absolute_url())
    return render(
        request,
        "sites/form.html",
        {
            "nav": nav,
            "form": form,
            "title": str(instance) if instance else new_title,
            "cancel": instance.get_absolute_url() if instance else cancel,
        },
    )


def _zones(request):
    return permissions.places_visible(
        request.user, Zone.objects.filter(operation=_operation(request))
    )


def _sites(request):
    return permissions.places_visible(
        request.user, Site.objects.filter(operation=_operation(request))
    )


def _posts(request):
    return permissions.places_visible(
        request.user, Post.objects.filter(operation=_operation(request)), "site__station_id"
    )


@login_required
def zones(request):
    op = _operation(request)
    form = ZoneFilterForm(request.GET or None, operation=op)
    qs = _zones(request).select_related("station").annotate(n_sites=Count("sites"))
    if form.is_valid():
        d = form.cleaned_data
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["state"]:
            qs = qs.filter(selectors.zone_state_filter(d["state"], timezone.now()))
        if d["station"]:
            qs = qs.filter(station=d["station"])
    now = timezone.now()
    rows = [(z, z.state(now)) for z in qs.order_by("kind", "code")]
    return render(request, "sites/zones.html", {"nav": "zones", "form": form, "rows": rows})


@login_required
def zone_detail(request, pk: int):
    zone = get_object_or_404(_zones(request).select_related("station"), pk=pk)
    sites = zone.sites.select_related("station").prefetch_related("posts")
    return render(
        request,
        "sites/zone_detail.html",
        {
            "nav": "zones",
            "zone": zone,
            "state": zone.state(),
            "sites": sites,
            "can_edit": permissions.can_edit_place(request.user, zone.station_id),
            "history": history_rows(zone) if permissions.can_see_audit(request.user) else None,
        },
    )


@login_required
def zone_edit(request, pk: int | None = None):
    return _edit(
        request,
        instance=get_object_or_404(_zones(request), pk=pk) if pk else None,
        form_class=ZoneForm,
        fields=services.ZONE_FIELDS,
        create=services.zone_create,
        update=lambda zone, **kw: services.zone_update(zone=zone, **kw),
        nav="zones",
        new_title=_("New zone"),
        cancel=reverse("sites:zones"),
    )


@login_required
def sites(request):
    op = _operation(request)
    form = SiteFilterForm(request.GET or None, operation=op)
    qs = _sites(request).select_related("station", "zone", "grid").annotate(n_posts=Count("posts"))
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(name__icontains=d["q"]) | Q(code__icontains=d["q"]))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["station"]:
            qs = qs.filter(station=d["station"])
        if d["zone"]:
            qs = qs.filter(zone=d["zone"])
    page = Paginator(qs.order_by("kind", "code"), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sites/sites.html",
        {"nav": "sites", "form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def site_detail(request, pk: int):
    site = get_object_or_404(_sites(request).select_related("station", "zone", "grid"), pk=pk)
    points = site.points.order_by("code") if site.kind == SiteKindChoices.SAMPLING_GRID else None
    return render(
        request,
        "sites/site_detail.html",
        {
            "nav": "sites",
            "site": site,
            "posts": site.posts.select_related("shift_pattern"),
            "points": points,
            "can_edit": permissions.can_edit_place(request.user, site.station_id),
            "history": history_rows(site) if permissions.can_see_audit(request.user) else None,
        },
    )


@login_required
def site_edit(request, pk: int | None = None):
    return _edit(
        request,
        instance=get_object_or_404(_sites(request), pk=pk) if pk else None,
        form_class=SiteForm,
        fields=services.SITE_FIELDS,
        create=services.site_create,
        update=lambda site, **kw: services.site_update(site=site, **kw),
        nav="sites",
        new_title=_("New site"),
        cancel=reverse("sites:sites"),
    )


@login_required
def posts(request):
    qs = (
        _posts(request)
        .select_related("site", "site__zone", "site__station", "shift_pattern")
        .prefetch_related("demands__shift_type")
        .order_by("code")
    )
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(site__kind=kind)
    rows = [(p, sum(d.headcount for d in p.demands.all())) for p in qs]
    return render(
        request,
        "sites/posts.html",
        {"nav": "posts", "rows": rows, "kind": kind, "kinds": SiteKindChoices.choices},
    )


@login_required
def post_detail(request, pk: int):
    post = get_object_or_404(
        _posts(request).select_related("site", "site__zone", "site__station", "shift_pattern"),
        pk=pk,
    )
    demands = post.demands.select_related("shift_type").order_by("shift_type__start", "first_day")
    return render(
        request,
        "sites/post_detail.html",
        {
            "nav": "posts",
            "post": post,
            "demands": demands,
            "can_edit": permissions.can_edit_place(request.user, post.site.station_id),
            "history": history_rows(post) if permissions.can_see_audit(request.user) else None,
        },
    )


@login_required
def post_edit(request, pk: int | None = None):
    post = get_object_or_404(_posts(request).select_related("site"), pk=pk) if pk else None
    return _edit(
        request,
        instance=post,
        form_class=PostForm,
        fields=services.POST_FIELDS,
        create=services.post_create,
        update=lambda post, **kw: services.post_update(post=post, **kw),
        nav="posts",
        new_title=_("New post"),
        cancel=reverse("sites:posts"),
    )


@login_required
def demand_edit(request, post_pk: int, pk: int | None = None):
    post = get_object_or_404(_posts(request).select_related("site", "shift_pattern"), pk=post_pk)
    permissions.require(permissions.can_edit_place(request.user, post.site.station_id))
    demand = get_object_or_404(PostDemand, pk=pk, post=post) if pk else None
    form = DemandForm(request.POST or None, instance=demand, post=post)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in services.DEMAND_FIELDS}
        try:
            if demand is None:
                services.demand_create(post=post, by=request.user, **fields)
            else:
                services.demand_update(demand=demand, by=request.user, **fields)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(post.get_absolute_url())
    return render(
        request,
        "sites/form.html",
        {
            "nav": "posts",
            "form": form,
            "title": _("Staffing demand of %(post)s") % {"post": post},
            "cancel": post.get_absolute_url(),
        },
    )


@login_required
@require_POST
def demand_delete(request, post_pk: int, pk: int):
    post = get_object_or_404(_posts(request).select_related("site"), pk=post_pk)
    demand = get_object_or_404(PostDemand, pk=pk, post=post)
    services.demand_delete(demand=demand, by=request.user)
    messages.success(request, _("Removed."))
    return HttpResponseRedirect(post.get_absolute_url())


@login_required
def map_page(request):
    _operation(request)
    return render(request, "sites/map.html", {"nav": "map", "map_labels": {"posts": _("posts")}})


@login_required
def map_data(request):
    """GeoJSON of the zones (polygons) and sites (points) the user may see."""
    data = selectors.map_features(
        zones=_zones(request), sites=_sites(request), moment=timezone.now()
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
