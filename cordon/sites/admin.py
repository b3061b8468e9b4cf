from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Post, PostDemand, Site, Zone


@admin.register(Zone)
class ZoneAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "station", "activated_at", "lifted_at")
    list_filter = ("operation", "kind", "station")
    search_fields = ("code", "name")


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "zone", "station")
    list_filter = ("operation", "kind", "station")
    search_fields = ("code", "name")
    raw_id_fields = ("grid", "zone")
    list_select_related = ("zone", "station")


class DemandInline(admin.TabularInline):
    model = PostDemand
    extra = 0


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "site", "shift_pattern")
    list_filter = ("operation", "site__kind")
    search_fields = ("code", "name")
    raw_id_fields = ("site",)
    inlines = [DemandInline]
