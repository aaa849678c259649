from django.contrib import admin

from workgroups.models import Meeting, Membership, Task, TaskSignup, WorkingGroup


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "state", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "is_permanent", "ends_on"]
    list_filter = ["theme", "is_permanent"]
    search_fields = ["name", "description"]
    list_select_related = ["theme"]
    inlines = [MembershipInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "place"]
    list_filter = ["group"]
    list_select_related = ["group"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["attendees"]


class TaskSignupInline(admin.TabularInline):
    model = TaskSignup
    extra = 0
    fields = ["user", "created_at", "cancelled_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # sign-ups go through the service, which guards the places


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "group",
        "theme",
        "starts_at",
        "helpers_needed",
        "signed_up_count",
        "is_open",
    ]
    list_filter = ["is_open", "kind", "theme", "group"]
    search_fields = ["title", "description", "organisation"]
    list_select_related = ["group", "theme"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["languages"]
    readonly_fields = ["signed_up_count"]
    inlines = [TaskSignupInline]
