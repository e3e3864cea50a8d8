"""Forms of the place and device pages."""

from django import forms

from events.models import Place
from events.place_csv import MAX_TAG_LENGTH, split_tags
from events.services import PLACE_FIELDS
from segments.forms import UploadField


class PlaceForm(forms.ModelForm):
    tags = forms.CharField(
        required=False,
        help_text="Separate tags with | or ;, for example coffee|flagship.",
    )

    class Meta:
        model = Place
        fields = PLACE_FIELDS
        help_texts = {
            "external_id": "Your own reference; events and imports can use it.",
            "category": "For example amenity=cafe or leisure=fitness_centre.",
        }

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.company = company
        if self.instance.pk:
            self.initial["tags"] = "|".join(self.instance.tag_names)
        self.fields["brand"].widget.attrs["list"] = "brand-suggestions"
        self.fields["category"].widget.attrs["list"] = "category-suggestions"

    def clean_external_id(self) -> str:
        external_id = self.cleaned_data["external_id"].strip()
        taken = Place.all_companies.filter(
            company=self.instance.company, external_id=external_id
        ).exclude(pk=self.instance.pk)
        if external_id and taken.exists():
            raise forms.ValidationError("A place with this external ID already exists.")
        return external_id

    def clean_tags(self) -> list[str]:
        tags = split_tags(self.cleaned_data["tags"])
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise forms.ValidationError(
                f"A tag is longer than {MAX_TAG_LENGTH} characters."
            )
        return tags


class PlaceFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    brand = forms.ChoiceField(required=False)
    category = forms.ChoiceField(required=False)
    tag = forms.ChoiceField(required=False)

    def __init__(self, *args, brands, categories, tags, **kwargs):
        super().__init__(*args, **kwargs)
        for name, values, label in (
            ("brand", brands, "All brands"),
            ("category", categories, "All categories"),
            ("tag", tags, "All tags"),
        ):
            self.fields[name].choices = [("", label)] + [(v, v) for v in values]


class PlaceImportForm(forms.Form):
    file = UploadField(label="CSV file of places")


class DeviceSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        help_text="A device ID, advertising ID or custom ID.",
    )
