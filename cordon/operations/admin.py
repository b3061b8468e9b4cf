from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Operation, Person, PersonStatusChange, ShiftPattern, ShiftType, Skill, Unit


@admin.register(Operation)
class OperationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "status", "started_at", "ended_at", "timezone")
    list_filter = ("kind", "status")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "operation")
    list_filter = ("operation", "kind")
    search_fields = ("code", "name")


@admin.register(Skill)
class SkillAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "operation")
    list_filter = ("operation",)


class StatusChangeInline(admin.TabularInline):
    model = PersonStatusChange
    extra = 0
    fields = ("status", "effective_from", "note", "recorded_by")
    readonly_fields = ("recorded_by",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("staff_number", "name", "category", "home_unit", "status", "is_post_leader")
    list_filter = ("operation", "category", "status", "is_post_leader", "home_unit")
    search_fields = ("staff_number", "name")
    filter_horizontal = ("skills", "teams")
    list_select_related = ("home_unit",)
    inlines = [StatusChangeInline]


class ShiftTypeInline(admin.TabularInline):
    model = ShiftType
    extra = 0
    fields = ("code", "name", "start", "minutes", "operation")


@admin.register(ShiftPattern)
class ShiftPatternAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "operation")
    inlines = [ShiftTypeInline]
