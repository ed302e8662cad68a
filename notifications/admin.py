from django.contrib import admin, messages

from .models import Email
from .outbox import email_resend


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "to", "case_id", "status", "attempts", "last_error", "created_at",
                    "sent_at"]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Email._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected e-mails again")
    def resend(self, request, queryset):
        for email in queryset:
            email_resend(email=email)
        messages.success(request, f"{queryset.count()} e-mail(s) queued to send again.")
