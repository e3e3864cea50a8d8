import zoneinfo

from django import forms

from herow_segments.accounts.models import Company

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class CompanyForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)

    class Meta:
        model = Company
        fields = ["name", "time_zone"]
