"""The firm's roles as groups: attorneys, staff, administrators."""

from django.contrib.auth.management import create_permissions

# Attorneys and paralegals ask the client for documents and send the client's secure link.
PREPARATION = ["view_documentrequest", "add_documentrequest", "change_documentrequest",
               "view_preparationlink", "add_preparationlink"]

ROLES = {
    # Members get new intakes by e-mail (settings.TRIAGE_GROUP): critical ones at once, the
    # others at once or in a digest, as each chooses (cases.alerts).
    "triage duty": {},
    "attorneys": {
        "cases": ["view_client", "change_client", "change_contact", "view_familymember",
                  "change_familymember",
                  "view_asylumclaim", "change_asylumclaim", "view_document", "view_entry",
                  "change_entry", "view_court",
                  "view_case", "change_case", "view_deadline", "add_deadline",
                  "change_deadline", "view_narrative", "assign_case", "change_stage_final",
                  "add_note", "view_note", *PREPARATION],
        "notifications": ["view_email", "change_email"],
    },
    "staff": {
        "cases": ["view_client", "change_contact", "view_familymember", "view_document",
                  "view_entry", "view_court",
                  "view_case", "change_case", "view_deadline", "add_deadline",
                  "change_deadline", "export_cases", "add_note", "view_note", *PREPARATION],
        "notifications": ["view_email", "change_email"],
    },
    "administrators": {
        "cases": ["view_client", "view_familymember", "view_asylumclaim", "view_document",
                  "view_entry", "view_court", "add_court", "change_court",
                  "view_case", "change_case", "view_deadline", "export_cases", "view_note",
                  "view_caseaccess", "view_documentrequest", "view_preparationlink"],
        "notifications": ["view_email"],
    },
}


def create_roles(apps, schema_editor=None):
    # Permissions are normally made after all migrations; make them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
