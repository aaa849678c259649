"""Which of Hannover's 13 city districts border each other, for the "nearby" part of the score.

Coordinators of other cities edit the table in the admin; it only refines the score.
"""

from django.db import migrations

BORDERS = {
    "mitte": ["nord", "vahrenwald-list", "buchholz-kleefeld", "suedstadt-bult", "linden-limmer",
              "herrenhausen-stoecken"],
    "nord": ["herrenhausen-stoecken", "vahrenwald-list", "bothfeld-vahrenheide"],
    "vahrenwald-list": ["bothfeld-vahrenheide", "buchholz-kleefeld"],
    "bothfeld-vahrenheide": ["buchholz-kleefeld", "misburg-anderten"],
    "buchholz-kleefeld": ["suedstadt-bult", "kirchrode-bemerode-wuelferode", "misburg-anderten"],
    "misburg-anderten": ["kirchrode-bemerode-wuelferode"],
    "kirchrode-bemerode-wuelferode": ["suedstadt-bult", "doehren-wuelfel"],
    "suedstadt-bult": ["doehren-wuelfel"],
    "doehren-wuelfel": ["ricklingen"],
    "ricklingen": ["linden-limmer", "ahlem-badenstedt-davenstedt"],
    "linden-limmer": ["ahlem-badenstedt-davenstedt", "herrenhausen-stoecken"],
    "ahlem-badenstedt-davenstedt": ["herrenhausen-stoecken"],
}  # fmt: skip


def add_borders(apps, schema_editor):
    District = apps.get_model("vocabulary", "District")
    DistrictNeighbour = apps.get_model("matching", "DistrictNeighbour")
    by_slug = {district.slug: district for district in District.objects.all()}
    pairs = set()
    for slug, neighbours in BORDERS.items():
        for other in neighbours:
            if slug in by_slug and other in by_slug:
                pairs.add((by_slug[slug].pk, by_slug[other].pk))
                pairs.add((by_slug[other].pk, by_slug[slug].pk))
    DistrictNeighbour.objects.bulk_create(
        [DistrictNeighbour(district_id=a, neighbour_id=b) for a, b in sorted(pairs)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_create_matching")]

    operations = [migrations.RunPython(add_borders, migrations.RunPython.noop)]
