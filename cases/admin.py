from django.contrib import admin

from .models import Case, Deadline


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "reference", "client", "stage", "priority", "assigned_attorney", "created_at",
    ]  # fmt: skip
    list_filter = ["stage", "priority", "assigned_attorney"]
    search_fields = [
        "reference", "client__family_name", "client__given_names",
        "client__family_name_native", "client__given_names_native", "client__email",
    ]  # fmt: skip
    list_select_related = ["client", "assigned_attorney"]
    raw_id_fields = ["client", "draft"]
    readonly_fields = ["reference", "created_at", "updated_at"]
    inlines = [DeadlineInline]
    date_hierarchy = "created_at"


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "due_date", "status", "computed"]
    list_filter = ["kind", "status", "computed"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    raw_id_fields = ["case"]
    date_hierarchy = "due_date"
