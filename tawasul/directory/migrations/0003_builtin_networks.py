"""The regional networks every deployment knows; coordinators create others."""

from django.db import migrations

NETWORKS = [
    (
        "matf",
        "Multi-Agency Task Force (MATF) — Middle East and North Africa",
        "Task Force multi-agences (MATF) — Moyen-Orient et Afrique du Nord",
        "فريق العمل متعدد الوكالات — الشرق الأوسط وشمال أفريقيا",
    ),
    (
        "wacap",
        "West African Network of Central Authorities and Prosecutors (WACAP)",
        "Réseau des autorités centrales et des procureurs de l'Afrique de l'Ouest (WACAP)",
        "شبكة السلطات المركزية والمدعين العامين في غرب أفريقيا",
    ),
    (
        "sahel-platform",
        "Sahel Judicial Cooperation Platform",
        "Plateforme de coopération judiciaire des pays du Sahel",
        "منصة التعاون القضائي لبلدان الساحل",
    ),
    (
        "euromed-justice",
        "EuroMed Justice",
        "EuroMed Justice",
        "يوروميد للعدالة",
    ),
]


def create(apps, schema_editor):
    Network = apps.get_model("directory", "Network")
    for code, en, fr, ar in NETWORKS:
        Network.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_fr": fr, "name_ar": ar, "builtin": True}
        )


def remove(apps, schema_editor):
    apps.get_model("directory", "Network").objects.filter(
        code__in=[n[0] for n in NETWORKS], builtin=True, memberships__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_agency_address_agencychannel_countryprofile_and_more")]

    operations = [migrations.RunPython(create, remove)]
