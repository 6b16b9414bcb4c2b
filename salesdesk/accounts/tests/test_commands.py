"""CLI: adduser, createtoken, syncroles, demo (issue #2 item 4)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from salesdesk.accounts.demo import DEMO_PASSWORD, USERS
from salesdesk.accounts.models import ApiToken, User
from salesdesk.accounts.roles import ASSIGNABLE_ROLES
from salesdesk.audit.models import Event


def test_adduser_with_roles_department_and_manager(db, sales_manager):
    call_command(
        "adduser",
        "amy",
        "--role",
        "salesperson",
        "--role",
        "sales_admin",
        "--department",
        "east",
        "--manager",
        "manager",
        "--password",
        "Long-enough-pw-1",
    )
    user = User.objects.get(username="amy")
    assert user.role_names == ["sales_admin", "salesperson"]
    assert user.department.code == "east"
    assert user.manager == sales_manager
    assert user.check_password("Long-enough-pw-1")
    assert Event.objects.filter(verb="user.created", object_id=user.pk).count() == 1


def test_adduser_refuses_weak_password_and_changes_nothing(db):
    with pytest.raises(CommandError, match="password"):
        call_command("adduser", "bob", "--role", "salesperson", "--password", "123")
    assert not User.objects.filter(username="bob").exists()
    assert Event.objects.count() == 0


def test_adduser_refuses_unknown_manager(db):
    with pytest.raises(CommandError, match="--manager"):
        call_command(
            "adduser",
            "bob",
            "--role",
            "salesperson",
            "--manager",
            "ghost",
            "--password",
            "Long-enough-pw-1",
        )
    assert not User.objects.filter(username="bob").exists()


def test_adduser_refuses_duplicate_username(db, salesperson):
    with pytest.raises(CommandError, match="taken"):
        call_command("adduser", "SALES1", "--role", "salesperson", "--no-input")


def test_adduser_refuses_unknown_role(db):
    with pytest.raises(CommandError):
        call_command("adduser", "bob", "--role", "wizard", "--no-input")


def test_createtoken_unknown_user_fails(db):
    with pytest.raises(CommandError, match="USERNAME"):
        call_command("createtoken", "ghost")
    assert ApiToken.objects.count() == 0


def test_syncroles_creates_every_role(db, capsys):
    Group.objects.all().delete()
    call_command("syncroles")
    assert set(Group.objects.values_list("name", flat=True)) >= set(ASSIGNABLE_ROLES)
    admin = Group.objects.get(name="admin")
    assert admin.permissions.filter(codename="change_policy").exists()
    assert (
        not Group.objects.get(name="salesperson")
        .permissions.filter(codename="change_policy")
        .exists()
    )


def test_demo_creates_one_user_per_role_and_is_idempotent(db, capsys):
    call_command("demo", "--once")
    out = capsys.readouterr().out
    roles_with_users = set(Group.objects.filter(user__isnull=False).values_list("name", flat=True))
    assert set(ASSIGNABLE_ROLES) <= roles_with_users
    for username, *_rest in USERS:
        assert username in out
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    users = User.objects.count()
    events = Event.objects.count()
    call_command("demo", "--once")
    assert User.objects.count() == users
    assert Event.objects.count() == events
