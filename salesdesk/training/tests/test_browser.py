"""The training pages in a browser (T2.1): a trainer records attendance and a score on the
session page; the learner's record shows the course completed."""

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.testing.browser import login
from salesdesk.training.services_sessions import enrolment_add

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("T2.1")]


def test_trainer_records_a_score_from_the_calendar(
    page, page_log, live_server, sales_manager, salesperson, session
):
    enrolment = enrolment_add(actor=salesperson, session_id=session.pk)
    login(page, live_server, sales_manager, PASSWORD)
    page.goto(f"{live_server.url}/training/")
    page.locator("#session-table tbody a").first.click()
    page.select_option(f"#att-{enrolment.pk}", "present")
    page.fill(f"#score-{enrolment.pk}", "88")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#enrolment-table")).to_contain_text("88")
    page.goto(f"{live_server.url}/training/people/{salesperson.pk}/")
    expect(page.locator("#completed")).to_contain_text(session.course.title)
