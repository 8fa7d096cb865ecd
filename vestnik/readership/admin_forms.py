"""The period a readership report covers: this week, this month, or days the editor picks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vestnik.readership.reports import (
    Period,
    PeriodRefused,
    period_between,
    period_month,
    period_week,
)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("week", _("Last 7 days")),
            ("month", _("Last 30 days")),
            ("custom", _("Dates")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    start = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("period") or (
            "custom" if cleaned.get("start") or cleaned.get("end") else "week"
        )
        cleaned["period"] = kind
        if kind == "custom" and not self.errors:
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Give both the first and the last day."))
            try:
                cleaned["report_period"] = period_between(start, end)
            except PeriodRefused as refused:
                raise forms.ValidationError(str(refused)) from refused
        elif kind == "month":
            cleaned["report_period"] = period_month()
        elif kind == "week":
            cleaned["report_period"] = period_week()
        return cleaned

    def report_period(self) -> Period:
        """The period asked for; the last 7 days when the form says nothing or is wrong."""
        if self.is_bound and self.is_valid():
            period: Period = self.cleaned_data["report_period"]
            return period
        return period_week()
