"""The role → permission mapping is code and is synced exactly (DESIGN §1)."""

import pytest
from django.contrib.auth.models import Permission

from salesdesk.accounts.roles import ROLES, resolve, sync_roles


def test_every_role_resolves_and_sync_is_exact(db):
    counts = sync_roles()
    assert set(counts) == {role.name for role in ROLES}


def test_supervisor_reads_everything_and_changes_nothing(db, supervisor):
    assert supervisor.has_perm("audit.view_event")
    assert supervisor.has_perm("core.view_policy")
    assert not supervisor.has_perm("core.change_policy")
    # Outside its own app (inspections, corrective actions: E1.1) the group only reads.
    codenames = (
        Permission.objects.filter(group__name="supervisor")
        .exclude(content_type__app_label="supervision")
        .values_list("codename", flat=True)
    )
    assert codenames and all(name.startswith("view_") for name in codenames)


def test_unknown_exact_permission_is_an_error(db):
    with pytest.raises(ValueError, match="unknown permission"):
        resolve(("core.fly_policy",), list(Permission.objects.select_related("content_type")))


def test_salesperson_has_no_admin_powers(db, salesperson):
    assert not salesperson.has_perm("core.change_policy")
    assert not salesperson.has_perm("accounts.add_user")
    assert not salesperson.has_perm("audit.view_accesslog")
