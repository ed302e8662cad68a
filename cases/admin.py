"""The admin for administrators: case records read-only (every change goes through the app's
services, their workflow rules and their audit), the story behind `cases.view_narrative` as on
the case page, courts editable; every admin view and change in the access log."""

from django.contrib import admin
from django.template.loader import render_to_string

from notifications.models import Email

from .admin_audit import admin_access_record
from .crypto import EncryptedTextField
from .models import (
    AsylumClaim,
    Case,
    CaseAccess,
    Client,
    Court,
    Deadline,
    DigestEntry,
    Document,
    Entry,
    FamilyMember,
    NotDuplicate,
    Note,
    Reminder,
    SavedFilter,
    StaffSettings,
    StageChange,
)

admin.site.access_recorder = admin_access_record


class ReadOnlyAdmin(admin.ModelAdmin):
    """A client's records change only through the app's services, which keep what follows
    from them (deadlines, triage) in step and record who did it: the admin only reads, for
    the superuser too (a superuser's stage change would be a forged trail)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "state", "time_zone", "detained_docket_only", "active"]
    list_filter = ["state", "detained_docket_only", "active"]
    search_fields = ["name", "city"]


class EntryInline(ReadOnlyInline):
    model = Entry


class FamilyMemberInline(ReadOnlyInline):
    model = FamilyMember


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = [
        "family_name", "given_names", "family_name_native", "given_names_native",
        "date_of_birth", "nationality", "preferred_language", "detained",
        "in_removal_proceedings", "created_at",
    ]  # fmt: skip
    list_filter = ["nationality", "preferred_language", "detained", "in_removal_proceedings"]
    search_fields = [
        "family_name", "given_names", "family_name_native", "given_names_native", "email", "phone",
    ]
    list_select_related = ["hearing_court"]
    inlines = [EntryInline, FamilyMemberInline]
    date_hierarchy = "created_at"


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["date", "place", "manner", "client"]
    list_select_related = ["client"]


@admin.register(FamilyMember)
class FamilyMemberAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "given_names", "relationship", "date_of_birth", "client"]
    list_filter = ["relationship", "marital_status", "travelling_with_client"]
    search_fields = ["family_name", "given_names", "name_native"]
    list_select_related = ["client"]


# Every claim field kept encrypted: the client's words, their translations, the deployments
# and minority details; the case page shows them only with the permission.
CLAIM_STORY = tuple(f.name for f in AsylumClaim._meta.fields
                    if isinstance(f, EncryptedTextField))  # fmt: skip


@admin.register(AsylumClaim)
class AsylumClaimAdmin(ReadOnlyAdmin):
    list_display = [
        "client", "ground_political_opinion", "ground_social_group", "mobilisation_notice",
        "filing_type", "filed_on",
    ]  # fmt: skip
    list_filter = ["mobilisation_notice", "conscientious_objector", "filing_type"]
    search_fields = ["client__family_name", "client__given_names"]
    list_select_related = ["client"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.has_perm("cases.view_narrative"):
            return fields
        return [name for name in fields if name not in CLAIM_STORY]

    def get_list_display(self, request):
        return [name for name in super().get_list_display(request)
                if name not in CLAIM_STORY or request.user.has_perm("cases.view_narrative")]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "content_type", "size", "client", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "client__family_name"]
    list_select_related = ["client"]
    exclude = ["file"]  # documents are never served from the admin


class DeadlineInline(ReadOnlyInline):
    model = Deadline


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "reference", "client", "stage", "priority", "assessed_priority", "assigned_attorney",
        "created_at",
    ]  # fmt: skip
    list_filter = ["stage", "priority", "assigned_attorney"]
    search_fields = [
        "reference", "client__family_name", "client__given_names",
        "client__family_name_native", "client__given_names_native", "client__email",
    ]  # fmt: skip
    list_select_related = ["client", "assigned_attorney"]
    readonly_fields = ["emails"]
    inlines = [DeadlineInline]
    date_hierarchy = "created_at"

    @admin.display(description="E-mails")
    def emails(self, obj):
        """The case's e-mails and how each went (the outbox is in notifications)."""
        rows = Email.objects.filter(case_id=obj.pk) if obj.pk else Email.objects.none()
        return render_to_string("cases/admin_emails.html", {"emails": rows})


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "due_date", "status", "computed"]
    list_filter = ["kind", "status", "computed"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    date_hierarchy = "due_date"


@admin.register(CaseAccess)
class CaseAccessAdmin(ReadOnlyAdmin):
    """The access log: administrators read it; nobody adds, changes or deletes (the database
    refuses too)."""

    list_display = ["at", "user", "action", "case"]
    list_filter = ["action"]
    search_fields = ["case__reference", "user__username"]
    list_select_related = ["case", "user"]
    date_hierarchy = "at"


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["case", "author", "created_at"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "author"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["case", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["case", "by"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "key", "sent_on"]
    list_select_related = ["deadline__case"]


@admin.register(DigestEntry)
class DigestEntryAdmin(ReadOnlyAdmin):
    list_display = ["case", "to", "queued_at", "digested_at"]
    list_select_related = ["case"]


@admin.register(SavedFilter)
class SavedFilterAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "created_at"]
    list_select_related = ["user"]


@admin.register(NotDuplicate)
class NotDuplicateAdmin(ReadOnlyAdmin):
    list_display = ["case_low", "case_high", "by", "at"]
    list_select_related = ["case_low", "case_high", "by"]


@admin.register(StaffSettings)
class StaffSettingsAdmin(ReadOnlyAdmin):
    list_display = ["user", "triage_alerts", "updated_at"]
    list_select_related = ["user"]
