from django.contrib import admin

from .models import AsylumClaim, Client, Court, Document, Entry, FamilyMember, IntakeDraft


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "state", "time_zone", "detained_docket_only", "active"]
    list_filter = ["state", "detained_docket_only", "active"]
    search_fields = ["name", "city"]


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
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
class FamilyMemberAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_names", "relationship", "date_of_birth", "client"]
    list_filter = ["relationship", "marital_status", "travelling_with_client"]
    search_fields = ["family_name", "given_names", "name_native"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]


@admin.register(AsylumClaim)
class AsylumClaimAdmin(admin.ModelAdmin):
    list_display = [
        "client", "ground_political_opinion", "ground_social_group", "mobilisation_notice",
        "filing_type", "filed_on",
    ]  # fmt: skip
    list_filter = ["mobilisation_notice", "conscientious_objector", "filing_type"]
    search_fields = ["client__family_name", "client__given_names"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "content_type", "size", "client", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "client__family_name"]
    list_select_related = ["client"]
    raw_id_fields = ["client", "draft"]
    exclude = ["file"]  # documents are never served from the admin


@admin.register(IntakeDraft)
class IntakeDraftAdmin(admin.ModelAdmin):
    list_display = ["pk", "language", "created_at", "updated_at", "submitted_at"]
    list_filter = ["language", "submitted_at"]
    exclude = ["data", "resume_token_hash"]  # answers are read on the case, not here
    readonly_fields = ["language", "resume_expires_at", "submitted_at"]
