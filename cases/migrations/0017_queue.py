"""Issue 18: the queue's counts and its dated sections at a million cases. The caseload's
tally kept by PostgreSQL triggers (cases.models.tally), counted once from the cases there
are; an index for the "due this week / this month" sections in their order. Creating the triggers locks cases_case against writes until
this commits, so no change falls between the count and the triggers."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def count_cases(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # no triggers there: the counts are taken from the cases (cases.tally)
    schema_editor.execute(
        "INSERT INTO cases_casetally (stage, priority, next_deadline_date, merged, n) "
        "SELECT stage, priority, next_deadline_date, merged_into_id IS NOT NULL, COUNT(*) "
        "FROM cases_case GROUP BY 1, 2, 3, 4"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_scale'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(max_length=20)),
                ('priority', models.CharField(max_length=10)),
                ('next_deadline_date', models.DateField(null=True)),
                ('merged', models.BooleanField()),
                ('n', models.IntegerField()),
            ],
            options={
                'verbose_name_plural': 'case tallies',
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='case',
            trigger=pgtrigger.compiler.Trigger(name='tally_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO cases_casetally (stage, priority, next_deadline_date, merged, n)  SELECT stage, priority, next_deadline_date, merged, SUM(n) FROM (SELECT stage, priority, next_deadline_date, merged_into_id IS NOT NULL AS merged, 1 AS n FROM new_rows) AS moved GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0; RETURN NULL;', hash='b9f29170917ca04d212f15baa6e379c07fd2d730', level='STATEMENT', operation='INSERT', pgid='pgtrigger_tally_insert_1af61', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_case', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='case',
            trigger=pgtrigger.compiler.Trigger(name='tally_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO cases_casetally (stage, priority, next_deadline_date, merged, n)  SELECT stage, priority, next_deadline_date, merged, SUM(n) FROM (SELECT stage, priority, next_deadline_date, merged_into_id IS NOT NULL AS merged, -1 AS n FROM old_rows UNION ALL SELECT stage, priority, next_deadline_date, merged_into_id IS NOT NULL AS merged, 1 AS n FROM new_rows) AS moved GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0; RETURN NULL;', hash='b927f7cb04d14826d1034245b52d1b833d6d31c8', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_tally_update_c49a8', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_case', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='case',
            trigger=pgtrigger.compiler.Trigger(name='tally_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO cases_casetally (stage, priority, next_deadline_date, merged, n)  SELECT stage, priority, next_deadline_date, merged, SUM(n) FROM (SELECT stage, priority, next_deadline_date, merged_into_id IS NOT NULL AS merged, -1 AS n FROM old_rows) AS moved GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0; RETURN NULL;', hash='1a3959d636dd90e686a6293991128ca2ef12e13d', level='STATEMENT', operation='DELETE', pgid='pgtrigger_tally_delete_88936', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_case', when='AFTER')),
        ),
        migrations.RunPython(count_cases, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("merged_into__isnull", True),
                    models.Q(("stage__in", ["new", "closed", "declined"]), _negated=True),
                ),
                fields=["next_deadline_date", "priority", "-id"], name="case_dated_queue",
            ),
        ),
    ]
