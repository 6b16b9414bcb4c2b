"""Django admin for users and departments (IT admins): read-mostly, roles as groups."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import ApiToken, Department, User
from salesdesk.accounts.services import user_roles_granted


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ("department", "manager", "language", "is_system")}),
    )
    list_display = ("username", "first_name", "department", "manager", "is_active")
    list_filter = ("groups", "department", "is_active")
    readonly_fields = ("is_system", "last_login", "date_joined")

    def save_related(self, request, form, formsets, change):
        """Roles (groups) given here start what a new role starts, as `user_create` does:
        an event and, for instance, the role's onboarding programme (T1.1)."""
        user = form.instance
        before = set(user.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        added = set(user.groups.values_list("name", flat=True)) - before
        user_roles_granted(user=user, roles=sorted(added), actor=request.user)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "digest", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
