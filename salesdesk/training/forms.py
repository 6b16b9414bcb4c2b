"""Forms of the training pages (T1.1, T2.1, T3.1); services validate again."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.roles import ASSIGNABLE_ROLES, role_label
from salesdesk.training.models import Attendance, Course, GoalStatus


def role_choices():
    return [(name, role_label(name)) for name in ASSIGNABLE_ROLES]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    audience_roles = forms.MultipleChoiceField(
        label=_("Audience roles"),
        choices=role_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    links = forms.CharField(
        label=_("Material links (one per line)"), widget=forms.Textarea, required=False
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=60)
    required_for_new_staff = forms.BooleanField(label=_("Required for new staff"), required=False)
    assessed = forms.BooleanField(label=_("Assessed"), required=False, initial=True)
    pass_mark = forms.IntegerField(
        label=_("Pass mark"), required=False, help_text=_("Empty: the company pass mark.")
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.filter(active=True))
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"),
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
    )
    trainer_name = forms.CharField(label=_("External trainer"), required=False)
    place = forms.CharField(label=_("Place"), required=False)
    online_link = forms.CharField(label=_("Online link"), required=False)
    capacity = forms.IntegerField(label=_("Capacity"), initial=20)


class CalendarFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("", _("All upcoming")), ("week", _("This week")), ("month", _("This month"))],
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.all(), required=False
    )


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Audience role"), required=False, choices=lambda: [("", "—"), *role_choices()]
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices[1:])
    score = forms.CharField(label=_("Score"), required=False)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=500)
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
