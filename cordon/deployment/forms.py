from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.operations.models import Person, ShiftType
from cordon.sites.models import Post

DATE = forms.DateInput(attrs={"type": "date"})


class PlanRequestForm(forms.Form):
    PERIODS = [
        ("week", _("the next 7 days")),
        ("rest", _("the rest of the operation")),
        ("custom", _("these dates")),
    ]
    period = forms.ChoiceField(
        label=_("Plan"), choices=PERIODS, initial="week", widget=forms.RadioSelect
    )
    first_day = forms.DateField(label=_("from"), required=False, widget=DATE)
    last_day = forms.DateField(label=_("to"), required=False, widget=DATE)
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, operation, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.operation = operation
        self.today = today

    def clean(self):
        data = super().clean()
        period = data.get("period")
        end = self.operation.last_day() or self.today + timedelta(days=6)
        start = max(self.today, self.operation.first_day())
        if period == "week":
            data["first_day"], data["last_day"] = start, min(start + timedelta(days=6), end)
        elif period == "rest":
            data["first_day"], data["last_day"] = start, end
        elif not data.get("first_day") or not data.get("last_day"):
            raise forms.ValidationError(_("Give the first and the last day."))
        return data


class SickOutForm(forms.Form):
    STATUSES = [
        ("sick", _("Sick")),
        ("quarantined", _("Quarantined")),
        ("on_leave", _("On leave")),
        ("released", _("Released")),
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES)
    from_moment = forms.DateTimeField(
        label=_("from"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=200)
    repair = forms.BooleanField(
        label=_("repair the plan from that day"), required=False, initial=True
    )


class MoveForm(forms.Form):
    post = forms.ModelChoiceField(label=_("post"), queryset=Post.objects.none())
    date = forms.DateField(label=_("date"), widget=DATE)
    shift_type = forms.ModelChoiceField(label=_("shift"), queryset=ShiftType.objects.none())

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(operation=operation).order_by("code")
        self.fields["shift_type"].queryset = ShiftType.objects.filter(operation=operation)


class SwapForm(forms.Form):
    other = forms.IntegerField(label=_("swap with assignment"), widget=forms.HiddenInput)


class AddForm(forms.Form):
    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none())
    post = forms.ModelChoiceField(label=_("post"), queryset=Post.objects.none())
    date = forms.DateField(label=_("date"), widget=DATE)
    shift_type = forms.ModelChoiceField(label=_("shift"), queryset=ShiftType.objects.none())

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(operation=operation)
        self.fields["post"].queryset = Post.objects.filter(operation=operation).order_by("code")
        self.fields["shift_type"].queryset = ShiftType.objects.filter(operation=operation)
