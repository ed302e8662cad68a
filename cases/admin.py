from django import forms
from django.contrib import admin, messages

from .models import Case, CaseAccess, Deadline, Email, Note, StageChange
from .outbox import email_resend
from .services import case_override_priority


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0


class EmailInline(admin.TabularInline):
    model = Email
    extra = 0
    can_delete = False
    fields = ["kind", "to", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


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
    raw_id_fields = ["client", "draft", "possible_duplicates"]
    readonly_fields = [
        "reference", "assessed_priority", "priority_reasons", "priority_overridden_by",
        "priority_overridden_at", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [DeadlineInline, EmailInline]
    date_hierarchy = "created_at"

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


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "to", "case", "status", "attempts", "last_error", "created_at",
                    "sent_at"]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["to", "case__reference", "subject"]
    list_select_related = ["case"]
    readonly_fields = [f.name for f in Email._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected e-mails again")
    def resend(self, request, queryset):
        for email in queryset:
            email_resend(email=email)
        messages.success(request, f"{queryset.count()} e-mail(s) queued to send again.")


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
