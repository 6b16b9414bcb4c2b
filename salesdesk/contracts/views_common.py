"""Helpers the contract pages share: visibility as 404, status badges, refusals as flash
messages, and the allow-list sanitizer for contract text (K1.1, K3.1)."""

from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.safestring import SafeString, mark_safe

from salesdesk.contracts.models import Contract, ContractStatus
from salesdesk.contracts.selectors import contract_get
from salesdesk.core.errors import DomainError, NotFound

STATUS_BADGES = {
    ContractStatus.IN_REVIEW: "badge-warn",
    ContractStatus.APPROVED: "badge-ok",
    ContractStatus.SIGNING: "badge-warn",
    ContractStatus.ACTIVE: "badge-ok",
    ContractStatus.TERMINATED: "badge-danger",
    ContractStatus.VOIDED: "badge-danger",
}
# Contract text may only use these tags, and no attributes at all (no links, styles, events).
ALLOWED_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u"}
    | {"table", "thead", "tbody", "tfoot", "tr", "th", "td"}
)
VOID_TAGS = frozenset({"br"})
# Their content is dropped with them, not shown as text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "title", "iframe", "object"})


def contract_or_404(user: Any, contract_id: int) -> Contract:
    """The contract if `user` may see it; otherwise the page does not exist for them."""
    try:
        return contract_get(user=user, contract_id=contract_id)
    except NotFound:
        raise Http404 from None


def attempt(request, contract_id: int, call: Callable[[], Any], success: Any):
    """Call the service for a visible contract; say what happened on the contract page."""
    contract_or_404(request.user, contract_id)
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("contracts:detail", contract_id=contract_id)


def apply_errors(form, error: DomainError) -> None:
    """Show a refusal next to the fields it names, or above the form."""
    fields = error.extra.get("fields") or {error.field or "": [error.message]}
    for name, field_messages in fields.items():
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, str(message))


def sanitized_html(html: str) -> SafeString:
    """Contract text with only the allowed tags kept (attributes dropped), all else escaped."""
    parser = _Sanitizer()
    parser.feed(html or "")
    parser.close()
    return mark_safe(parser.result())  # noqa: S308 (built from escaped text and fixed tags)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.dropping += 1
        elif not self.dropping and tag in ALLOWED_TAGS:
            self.out.append('<table class="table">' if tag == "table" else f"<{tag}>")
            if tag not in VOID_TAGS:
                self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if not self.dropping and tag in VOID_TAGS:
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.dropping = max(self.dropping - 1, 0)
        elif not self.dropping and tag in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))
