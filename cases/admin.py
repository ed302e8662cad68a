from django import forms
from django.contrib import admin
from django.template.loader import render_to_string

from notifications.models import Email

from .models import (
    AsylumClaim,
    Case,
    CaseAccess,
    Client,
    Court,
    Deadline,
    Document,
    Entry,
    FamilyMember,
    Note,
    StageChange,
)
from .services import case_override_priority


class ReadOnlyAdmin(admin.ModelAdmin):
    """A client's records change only through the app's services, which keep what follows
    from them (deadlines, triage) in step and record who did it: the admin only reads."""

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
    autocomplete_fields = ["hearing_court"]
    inlines = [EntryInline, FamilyMemberInline]
    date_hierarchy = "created_at"


@admin.register(FamilyMember)
class FamilyMemberAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "given_names", "relationship", "date_of_birth", "client"]
    list_filter = ["relationship", "marital_status", "travelling_with_client"]
    search_fields = ["family_name", "given_names", "name_native"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]


@admin.register(AsylumClaim)
class AsylumClaimAdmin(ReadOnlyAdmin):
    list_display = [
        "client", "ground_political_opinion", "ground_social_group", "mobilisation_notice",
        "filing_type", "filed_on",
    ]  # fmt: skip
    list_filter = ["mobilisation_notice", "conscientious_objector", "filing_type"]
    search_fields = ["client__family_name", "client__given_names"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "content_type", "size", "client", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "client__family_name"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]
    exclude = ["file"]  # documents are never served from the admin



class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0


class CaseAdminForm(forms.ModelForm):
    # The admin supplies the model and fields.
    def clean(self):
        data = super().clean()
        if "priority" in self.changed_data and not data.get("priority_override_note"):
            self.add_error(
                "priority_override_note", "Say why you change the level the triage gave."
            )
        return data


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    form = CaseAdminForm
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
    raw_id_fields = ["client", "possible_duplicates"]
    readonly_fields = [
        "reference", "assessed_priority", "priority_reasons", "priority_overridden_by",
        "priority_overridden_at", "created_at", "updated_at", "emails",
    ]  # fmt: skip
    inlines = [DeadlineInline]
    date_hierarchy = "created_at"

    @admin.display(description="E-mails")
    def emails(self, obj):
        """The case's e-mails and how each went (the outbox is in notifications)."""
        rows = Email.objects.filter(case_id=obj.pk) if obj.pk else Email.objects.none()
        return render_to_string("cases/admin_emails.html", {"emails": rows})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "priority" in form.changed_data:
            case_override_priority(
                case=obj,
                level=obj.priority,
                note=form.cleaned_data["priority_override_note"],
                by=request.user,
            )


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "due_date", "status", "computed"]
    list_filter = ["kind", "status", "computed"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    raw_id_fields = ["case"]
    date_hierarchy = "due_date"


@admin.register(CaseAccess)
class CaseAccessAdmin(admin.ModelAdmin):
    """The access log: administrators read it; nobody adds, changes or deletes (the database
    refuses too)."""

    list_display = ["at", "user", "action", "case"]
    list_filter = ["action"]
    search_fields = ["case__reference", "user__username"]
    list_select_related = ["case", "user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["case", "author", "created_at"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "author"]
    raw_id_fields = ["case"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["case", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["case", "by"]

    def has_change_permission(self, request, obj=None):
        return False
