import re
import zoneinfo

from django import forms

from herow_segments.accounts.models import ApiScope, Company
from herow_segments.accounts.services import parse_ip_ranges

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class CompanyForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)

    class Meta:
        model = Company
        fields = ["name", "time_zone"]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="Say who uses it, such as CRM nightly sync."
    )
    scopes = forms.MultipleChoiceField(
        choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
    allowed_ip_ranges = forms.CharField(
        label="Allowed IP ranges",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One range per line in CIDR form, such as 203.0.113.0/24. "
        "Leave empty to allow any address.",
    )

    def clean_allowed_ip_ranges(self) -> list[str]:
        text = self.cleaned_data["allowed_ip_ranges"]
        try:
            return parse_ip_ranges(re.split(r"[\s,]+", text))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
