from django.contrib import admin

from .models import IntakeDraft


@admin.register(IntakeDraft)
class IntakeDraftAdmin(admin.ModelAdmin):
    list_display = ["pk", "language", "created_at", "updated_at", "submitted_at"]
    list_filter = ["language", "submitted_at"]
    exclude = ["data", "resume_token_hash", "documents"]  # answers are read on the case
    readonly_fields = ["language", "resume_expires_at", "submitted_at", "case"]
