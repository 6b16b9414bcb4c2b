"""A contract in a browser (K1.1–K2.2, K4.1): the sales admin drafts it from an approved
order, legal and finance countersign, the sales admin records the signing, uploads the
signed scan and activates it, and the fulfilment table appears."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.contracts.models import Contract
from salesdesk.contracts.tests.conftest import approved_order, contract_type  # noqa: F401
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCAN = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _review(new_page, live_server, user, url: str) -> None:
    page = new_page()
    login(page, live_server, user, PASSWORD)
    page.goto(url)
    expect(page.locator("#review-form")).to_be_visible()
    page.locator("#review-comment").fill("同意")
    _submit(page, "#review-approve")
    expect(page.locator(".messages")).to_contain_text("Approval recorded.")


def _sign(page, party: str, signatory: str, seal: str) -> None:
    page.locator("#sign_party").select_option(party)
    page.locator("#sign_signatory").fill(signatory)
    page.locator("#sign_seal").fill(seal)
    page.locator("#sign_signed_on").fill(timezone.localdate().isoformat())
    _submit(page, "#signature-save")
    expect(page.locator(f"#signature-{party}")).to_contain_text(signatory)


@pytest.mark.req("K1.1", "K1.2", "K2.1", "K2.2", "K4.1")
def test_contract_from_draft_through_both_reviews_to_active(
    page,
    page_log,
    new_page,
    live_server,
    sales_admin,
    legal,
    finance,
    contract_type,  # noqa: F811
    approved_order,  # noqa: F811
    customer,  # noqa: F811
    tmp_path,
):
    login(page, live_server, sales_admin, PASSWORD)
    page.locator("#main-nav a[href='/contracts/']").click()
    expect(page).to_have_url(f"{live_server.url}/contracts/")
    page.locator("#contract-new").click()
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx")
    page.locator("#id_contract_type").select_option(str(contract_type.pk))
    page.locator("#id_customer").select_option(str(customer.pk))
    order_box = page.locator(f"#draft-orders input[value='{approved_order.pk}']")
    expect(order_box).to_be_visible()
    order_box.check()
    page.locator("#id_end_date").fill("2027-12-31")
    _submit(page, "#contract-save")

    contract = Contract.objects.get()
    detail = f"{live_server.url}/contracts/{contract.pk}/"
    expect(page).to_have_url(detail)
    expect(page.locator("#contract-status")).to_have_text("Drafting")
    expect(page.locator("#contract-body")).to_contain_text(customer.legal_name)
    expect(page.locator("#contract-words")).to_have_text("貳佰貳拾陸元整")
    _submit(page, "#action-submit button")
    expect(page.locator("#contract-status")).to_have_text("In review")

    _review(new_page, live_server, legal, detail)
    _review(new_page, live_server, finance, detail)

    page.reload()
    expect(page.locator("#contract-status")).to_have_text("Approved")
    page.locator("#start_method").select_option("in_person")
    _submit(page, "#start-signing")
    expect(page.locator("#contract-status")).to_have_text("Signing")
    _sign(page, "company", "陳總經理", "合同專用章")
    _sign(page, "customer", "林董事長", "公司印章")

    scan = tmp_path / "signed-contract.pdf"
    scan.write_bytes(SCAN)
    page.locator("#scan_file").set_input_files(str(scan))
    _submit(page, "#scan-upload")
    expect(page.locator("#scan-status")).to_contain_text("signed-contract.pdf")
    _submit(page, "#activate")

    expect(page.locator("#contract-status")).to_have_text("Active")
    expect(page.locator("#fulfilment-table tbody tr")).to_have_count(2)
    expect(page.locator("#fulfilment-table")).to_contain_text(
        f"Deliver order {approved_order.number}"
    )
    expect(page.locator("#fulfilment-table")).to_contain_text(f"Pay order {approved_order.number}")
    contract.refresh_from_db()
    assert contract.status == "active" and contract.signatures.count() == 2

    assert page_log.console_errors == []
    assert page_log.page_errors == []
    assert page_log.external_requests() == []
