import unicodedata

from django.db import migrations, models


def fill_name_keys(apps, schema_editor) -> None:
    segment_model = apps.get_model("segments", "Segment")
    for segment in segment_model.objects.all().only("pk", "name"):
        key = unicodedata.normalize("NFKC", " ".join(segment.name.split()))
        segment_model.objects.filter(pk=segment.pk).update(name_key=key.casefold())


class Migration(migrations.Migration):
    dependencies = [("segments", "0002_member_value_binary_collation")]

    operations = [
        migrations.AddField(
            model_name="segment",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="segment", name="unique_segment_name_per_company"
        ),
        migrations.AddConstraint(
            model_name="segment",
            constraint=models.UniqueConstraint(
                fields=("company", "name_key"),
                name="unique_segment_name_key_per_company",
                violation_error_message="A segment with this name already exists.",
            ),
        ),
    ]
