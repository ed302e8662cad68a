from django.contrib import admin

from .models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: how each e-mail went, never what it says (a password-reset link
    sits in its body until it is sent). Sending again is the case page's, for its roles."""

    list_display = ["kind", "to", "case_id", "status", "attempts", "last_error", "created_at",
                    "sent_at"]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    exclude = ["body_text", "body_html", "late_body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
