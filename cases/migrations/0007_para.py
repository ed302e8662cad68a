"""Paralegal work (issue 15): the permission to correct a client's contact details and
address, given to attorneys and paralegals ("staff")."""

from django.db import migrations

from cases.roles import create_roles


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_staff_workspace"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="client",
            options={
                "permissions": [
                    ("change_contact", "Can change the client's contact details and address")
                ]
            },
        ),
        # create_roles only adds: the groups get the new permission, nothing else changes.
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
