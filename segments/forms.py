"""Forms of the segment pages."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from segments.models import ImportMode, Segment, SegmentKind, SegmentObjective
from segments.models.segment import (
    UNPRINTABLE_NAME,
    has_unprintable,
    segment_name_key,
)
from segments.parsing import ID_TYPES

ID_TYPE_CHOICES = [("", "Detect from the header")] + [(name, name) for name in ID_TYPES]
ID_TYPE_HELP = (
    "Needed only for a single column of IDs without a header naming the type."
)


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description", "category", "objective"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["category"].widget.attrs["list"] = "category-suggestions"
        self.fields["category"].help_text = "For example Wine & Dine, Fitness, Retail."

    def clean_name(self) -> str:
        if has_unprintable(self.cleaned_data["name"]):
            raise forms.ValidationError(UNPRINTABLE_NAME)
        name = " ".join(self.cleaned_data["name"].split())
        taken = Segment.all_companies.filter(
            company=self.company, name_key=segment_name_key(name)
        )
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("A segment with this name already exists.")
        return name


class UploadField(forms.FileField):
    """A file field that refuses empty files and files over the limit."""

    def validate(self, value) -> None:
        super().validate(value)
        if value and value.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(value.size)}; the limit is "
                f"{filesizeformat(settings.IMPORT_MAX_BYTES)}."
            )


class NewSegmentForm(SegmentForm):
    file = UploadField(
        required=False,
        label="CSV file of IDs",
        help_text="Optional: leave empty to create an empty segment.",
    )
    id_type = forms.ChoiceField(
        choices=ID_TYPE_CHOICES, required=False, help_text=ID_TYPE_HELP
    )

    class Meta(SegmentForm.Meta):
        pass


class ImportForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[
            (ImportMode.ADD, "Add the file's IDs to the segment"),
            (ImportMode.REMOVE, "Remove the file's IDs from the segment"),
            (ImportMode.REPLACE, "Replace all members with the file's IDs"),
        ],
        widget=forms.RadioSelect,
        initial=ImportMode.ADD,
    )
    file = UploadField(label="CSV file of IDs")
    id_type = forms.ChoiceField(
        choices=ID_TYPE_CHOICES, required=False, help_text=ID_TYPE_HELP
    )


class SegmentFilterForm(forms.Form):
    SORTS = [
        ("-updated_at", "Recently changed"),
        ("name", "Name A–Z"),
        ("-name", "Name Z–A"),
        ("-member_count", "Most members"),
        ("member_count", "Fewest members"),
        ("-created_at", "Newest"),
    ]
    q = forms.CharField(required=False, label="Search")
    kind = forms.ChoiceField(
        choices=[("", "All kinds")] + SegmentKind.choices, required=False
    )
    category = forms.ChoiceField(required=False)
    objective = forms.ChoiceField(
        choices=[("", "All objectives")] + SegmentObjective.choices, required=False
    )
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [
            (category, category) for category in categories
        ]
