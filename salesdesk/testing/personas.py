"""Personas (STYLE: Tests): one fixture per kind of person who uses salesdesk."""

import pytest

from salesdesk.accounts.tests.factories import UserFactory


def _persona(username: str, roles: list[str], department: str, **extra):
    return UserFactory(username=username, roles=roles, department__code=department, **extra)


@pytest.fixture
def system_user(db):
    from salesdesk.accounts.services import system_user as get_system_user

    return get_system_user()


@pytest.fixture
def sales_manager(db):
    return _persona("manager", ["sales_manager"], "sales")


@pytest.fixture
def salesperson(db, sales_manager):
    return _persona("sales1", ["salesperson"], "sales", manager=sales_manager)


@pytest.fixture
def other_salesperson(db, sales_manager):
    return _persona("sales2", ["salesperson"], "sales", manager=sales_manager)


@pytest.fixture
def sales_admin(db, sales_manager):
    return _persona("admin1", ["sales_admin"], "sales-admin", manager=sales_manager)


@pytest.fixture
def legal(db):
    return _persona("legal1", ["legal"], "legal")


@pytest.fixture
def finance(db):
    return _persona("finance1", ["finance"], "finance")


@pytest.fixture
def warehouse(db):
    return _persona("warehouse1", ["warehouse"], "warehouse")


@pytest.fixture
def supervisor(db):
    return _persona("supervisor1", ["supervisor"], "supervision")


@pytest.fixture
def it_admin(db):
    return _persona("itadmin", ["admin"], "it")


@pytest.fixture
def outsider(db):
    return _persona("outsider", [], "other")


@pytest.fixture(autouse=True)
def language_of_the_test_settings():
    """Each test starts in the settings' language: a request made by an earlier test in the
    same worker leaves its language active on the thread, which would leak into messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
