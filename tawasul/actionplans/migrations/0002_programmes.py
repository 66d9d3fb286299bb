"""The programmes the network already runs (from the source articles); coordinators add more."""

from django.db import migrations

PROGRAMMES = [
    (
        "matf",
        "Multi-Agency Task Force (MATF)",
        "Groupe de travail multi-agences (MATF)",
        "فرقة العمل متعددة الوكالات",
    ),
    (
        "glo-act",
        "GLO.ACT — Global Action against Trafficking in Persons and the Smuggling of Migrants",
        "GLO.ACT — Action mondiale contre la traite des personnes et le trafic illicite de migrants",
        "GLO.ACT — العمل العالمي لمكافحة الاتجار بالأشخاص وتهريب المهاجرين",
    ),
    (
        "bsm",
        "Border Security and Management (BSM)",
        "Sécurité et gestion des frontières (BSM)",
        "أمن الحدود وإدارتها",
    ),
    (
        "marrakesh-platform",
        "Marrakesh Platform for African Heads of Security and Counter-Terrorism Agencies",
        "Plateforme de Marrakech des chefs des agences de sécurité et de lutte antiterroriste africaines",
        "منصة مراكش لرؤساء أجهزة الأمن ومكافحة الإرهاب الأفريقية",
    ),
]


def add(apps, schema_editor):
    Programme = apps.get_model("actionplans", "Programme")
    for code, en, fr, ar in PROGRAMMES:
        Programme.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_fr": fr, "name_ar": ar}
        )


def remove(apps, schema_editor):
    Programme = apps.get_model("actionplans", "Programme")
    Programme.objects.filter(code__in=[p[0] for p in PROGRAMMES], meetings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
