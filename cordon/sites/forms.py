import json

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.operations.models import ShiftPattern, ShiftType, Unit

from .choices import SiteKindChoices, ZoneKindChoices, ZoneStateChoices
from .models import Post, PostDemand, Site, Zone

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})


class GeoJSONField(forms.JSONField):
    """A textarea of GeoJSON, shown indented."""

    widget = forms.Textarea

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, indent=1)
        return super().prepare_value(value)


def _stations(operation):
    return Unit.objects.filter(operation=operation, kind="station")


class ZoneForm(forms.ModelForm):
    boundary = GeoJSONField(
        label=_("boundary (GeoJSON)"), help_text=Zone._meta.get_field("boundary").help_text
    )

    class Meta:
        model = Zone
        fields = ["code", "name", "kind", "station", "activated_at", "lifted_at", "boundary"]
        widgets = {"activated_at": DATETIME, "lifted_at": DATETIME}

    def __init__(self, *args, operation, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.operation = operation
        stations = _stations(operation)
        self.fields["station"].queryset = stations.filter(pk=station) if station else stations


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["code", "name", "kind", "latitude", "longitude", "zone", "station", "grid"]

    def __init__(self, *args, operation, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.operation = operation
        stations = _stations(operation)
        self.fields["station"].queryset = stations.filter(pk=station) if station else stations
        self.fields["zone"].queryset = Zone.objects.filter(operation=operation)
        self.fields["grid"].queryset = Site.objects.filter(
            operation=operation, kind=SiteKindChoices.SAMPLING_GRID
        )


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["code", "name", "site", "shift_pattern"]

    def __init__(self, *args, operation, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.operation = operation
        sites = Site.objects.filter(operation=operation).exclude(
            kind=SiteKindChoices.SAMPLING_POINT
        )
        self.fields["site"].queryset = sites.filter(station_id=station) if station else sites
        self.fields["shift_pattern"].queryset = ShiftPattern.objects.filter(operation=operation)


class DemandForm(forms.ModelForm):
    skills = forms.JSONField(
        label=_("skills among them"),
        required=False,
        help_text=PostDemand._meta.get_field("skills").help_text,
        widget=forms.TextInput,
    )

    class Meta:
        model = PostDemand
        fields = ["shift_type", "headcount", "leaders", "skills", "first_day", "last_day"]
        widgets = {"first_day": DATE, "last_day": DATE}

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.post = post
        self.fields["shift_type"].queryset = ShiftType.objects.filter(pattern=post.shift_pattern)

    def clean_skills(self):
        return self.cleaned_data.get("skills") or {}


class ZoneFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *ZoneKindChoices.choices]
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", "—"), *ZoneStateChoices.choices]
    )
    station = forms.ModelChoiceField(
        label=_("Station"), required=False, queryset=Unit.objects.none()
    )

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _stations(operation)


class SiteFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *SiteKindChoices.choices]
    )
    station = forms.ModelChoiceField(
        label=_("Station"), required=False, queryset=Unit.objects.none()
    )
    zone = forms.ModelChoiceField(label=_("Zone"), required=False, queryset=Zone.objects.none())

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _stations(operation)
        self.fields["zone"].queryset = Zone.objects.filter(operation=operation)
