from django.db import migrations

from cases.roles import create_roles


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_outbox_duplicates_override")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
