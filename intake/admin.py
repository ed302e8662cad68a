from django.contrib import admin

from cases.admin import ReadOnlyAdmin

from .models import IntakeDraft


@admin.register(IntakeDraft)
class IntakeDraftAdmin(ReadOnlyAdmin):
    list_display = ["pk", "language", "created_at", "updated_at", "submitted_at"]
    list_filter = ["language", "submitted_at"]
    exclude = ["data", "resume_token_hash", "documents"]  # answers are read on the case
