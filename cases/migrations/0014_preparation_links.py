"""The client's secure link (issue 17): attorneys and paralegals ("staff") may ask the
client for documents and send the link; administrators see both."""

from django.db import migrations

from cases.roles import create_roles


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0013_preparation"),
    ]

    operations = [
        # create_roles only adds: the groups get the new permissions, nothing else changes.
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
