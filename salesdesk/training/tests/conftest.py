from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def course(db, system_user):
    from salesdesk.training.services import course_create

    return course_create(
        actor=system_user,
        data={"title": "CRM 基礎", "required_for_new_staff": True, "pass_mark": 70},
    )


@pytest.fixture
def programme(course, system_user):
    from salesdesk.training.services import programme_set

    return programme_set(
        actor=system_user, role="sales_admin", title="銷售內勤新人培訓", entries=[(course.pk, 10)]
    )


@pytest.fixture
def session(course, sales_manager):
    from salesdesk.training.services_sessions import session_create

    return session_create(
        actor=sales_manager,
        data={
            "course": course.pk,
            "starts_at": timezone.now() + timedelta(days=2),
            "place": "三樓會議室",
            "capacity": 2,
        },
    )


@pytest.fixture
def new_admin(programme, system_user):
    from salesdesk.accounts.services import user_create

    return user_create(username="newbie", roles=["sales_admin"], actor=system_user)
