"""The firm's roles as groups: attorneys, staff, administrators."""

from django.db import migrations

from cases.roles import create_roles


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("intake", "0002_load_courts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
