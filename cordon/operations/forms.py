from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PersonCategoryChoices, PersonStatusChoices, UnitKindChoices
from .models import Person, PersonStatusChange, Skill, Unavailability, Unit


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("name, staff number, phone"), "type": "search"}
        ),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    team = forms.ModelChoiceField(
        label=_("Task team"), queryset=Unit.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", "—"), *PersonCategoryChoices.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *PersonStatusChoices.choices]
    )
    leader = forms.ChoiceField(
        label=_("Leader"),
        required=False,
        choices=[("", "—"), ("post", _("may lead a shift")), ("duty", _("may be duty leader"))],
    )
    skill = forms.ChoiceField(label=_("Skill"), required=False)

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(operation=operation)
        self.fields["unit"].queryset = units.filter(kind__in=UnitKindChoices.home_units())
        self.fields["team"].queryset = units.filter(kind__in=UnitKindChoices.task_teams())
        self.fields["skill"].choices = [("", "—")] + [
            (s.code, s.name) for s in Skill.objects.filter(operation=operation)
        ]


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "staff_number",
            "name",
            "category",
            "home_unit",
            "rank",
            "is_post_leader",
            "is_duty_leader",
            "skills",
            "teams",
            "work_phone",
        ]
        widgets = {"skills": forms.CheckboxSelectMultiple, "teams": forms.CheckboxSelectMultiple}

    def __init__(self, *args, operation, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.operation = operation
        units = Unit.objects.filter(operation=operation)
        homes = units.filter(kind__in=UnitKindChoices.home_units())
        if station is not None:  # a station chief keeps people in their own station
            homes = homes.filter(pk=station)
        self.fields["home_unit"].queryset = homes
        self.fields["teams"].queryset = units.filter(kind__in=UnitKindChoices.task_teams())
        self.fields["skills"].queryset = Skill.objects.filter(operation=operation)


class StatusChangeForm(forms.ModelForm):
    class Meta:
        model = PersonStatusChange
        fields = ["status", "effective_from", "note"]
        widgets = {
            "effective_from": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["first_day", "last_day", "reason"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Choose an .xlsx or .csv file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f
