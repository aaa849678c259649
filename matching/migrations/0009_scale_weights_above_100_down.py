from django.db import migrations

MAX_WEIGHT = 100
CRITERIA = ("language", "district", "themes", "availability", "waiting", "age")


def scale_down(apps, schema_editor):
    """Weights above the new maximum are scaled down together, so their proportions stay."""
    MatchingWeights = apps.get_model("matching", "MatchingWeights")
    for row in MatchingWeights.objects.all():
        highest = max(getattr(row, name) for name in CRITERIA)
        if highest <= MAX_WEIGHT:
            continue
        for name in CRITERIA:
            setattr(row, name, round(getattr(row, name) * MAX_WEIGHT / highest))
        row.save(update_fields=list(CRITERIA))


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0008_end_mentorships_when_the_volunteer_leaves"),
    ]

    # The old weights cannot be told from the scaled ones: going back keeps the scaled ones.
    operations = [migrations.RunPython(scale_down, migrations.RunPython.noop)]
