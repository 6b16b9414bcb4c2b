"""The contract as a PDF: title, number, parties, the text from its template, the amount in
figures and Chinese capitals, and a signature block for both parties (K3.1, K1.1)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from salesdesk.contracts.models import Contract, Party
from salesdesk.core.pdf import (
    Amount,
    Document,
    Heading,
    SignatureBlock,
    Spacer,
    html_blocks,
    pdf_response,
    variant_for_language,
)


def _date(value) -> str:
    return value.isoformat() if value else "—"


def contract_document(contract: Contract, language: str | None = None) -> Document:
    """The printable contract in the script of `language` (Traditional unless zh-hans)."""
    company = str(settings.COMPANY_NAME)
    customer = contract.customer
    signatures = {s.party: s for s in contract.signatures.all()}
    meta = [
        (_("Contract number"), contract.number),
        (_("Version"), contract.version),
        (_("Seller"), company),
        (_("Buyer"), customer.legal_name),
        (_("Start date"), _date(contract.start_date)),
        (_("End date"), _date(contract.end_date)),
    ]
    if contract.parent_id:
        meta.append((_("Amends contract"), contract.parent.number))
    if contract.signed_on:
        meta.append((_("Signed on"), _date(contract.signed_on)))
    blocks = [
        *html_blocks(contract.body),
        Spacer(4),
        Amount(_("Contract amount incl. tax"), contract.amount, contract.currency),
        Spacer(8),
        Heading(_("Signatures"), 2),
        SignatureBlock(
            [
                (_party_label(Party.COMPANY, company), _lines(signatures.get(Party.COMPANY))),
                (
                    _party_label(Party.CUSTOMER, customer.legal_name),
                    _lines(signatures.get(Party.CUSTOMER)),
                ),
            ]
        ),
    ]
    return Document(
        title=contract.title,
        subtitle=contract.contract_type.name,
        meta=meta,
        blocks=blocks,
        footer=f"{contract.number} v{contract.version}",
        variant=variant_for_language(language),
    )


def _party_label(party: Party, name: str) -> str:
    return f"{party.label}: {name}"


def _lines(signature) -> list[str]:
    if signature is None:
        return [_("Signature"), _("Seal"), _("Date")]
    return [
        f"{_('Signature')}: {signature.signatory} {signature.title}".rstrip(),
        f"{_('Seal')}: {signature.seal or '—'}",
        f"{_('Date')}: {_date(signature.signed_on)}",
    ]


def contract_pdf_response(contract: Contract, language: str | None = None) -> HttpResponse:
    """A download of the contract's PDF, named after its number."""
    return pdf_response(contract_document(contract, language), contract.number)
