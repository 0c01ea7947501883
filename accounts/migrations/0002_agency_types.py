from django.db import migrations

AGENCY_TYPES = [
    ("childrens-social-care", "Children's social care"),
    ("education", "Education"),
    ("health", "Health"),
    ("police", "Police"),
    ("voluntary-sector", "Voluntary sector"),
    ("other", "Other"),
]


def load(apps, schema_editor):
    AgencyType = apps.get_model("accounts", "AgencyType")
    for position, (slug, label) in enumerate(AGENCY_TYPES):
        AgencyType.objects.update_or_create(slug=slug, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
