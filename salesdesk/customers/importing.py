"""Import customers, each with an optional first contact, from CSV or XLSX (C1.1–C1.4, #3).

Every row passes the checks of a customer created on screen: `inputs.clean_customer`,
`inputs.clean_contact` and the owner rule of `customer_create`. A tax ID or customer number
already used, by a customer in the database or by an earlier row of the file, refuses the
row. Similar-name and same-phone warnings are not checked: they need a person to judge them.
Rows are inserted in bulk; each customer gets one `customer.imported` event.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import User
from salesdesk.audit.models import Event
from salesdesk.core import numbering
from salesdesk.core.errors import DomainError, ValidationFailed
from salesdesk.customers import completeness, rules
from salesdesk.customers.duplicates import name_search_keys
from salesdesk.customers.inputs import clean_contact, clean_customer
from salesdesk.customers.models import (
    Contact,
    Country,
    Customer,
    CustomerKind,
    IntentionLevel,
    Potential,
)
from salesdesk.customers.services.customers import _check_owner_change
from salesdesk.imports import registry
from salesdesk.imports.base import Column, Importer, RowError, ValidRow

CUSTOMER_COLUMNS = (
    "kind",
    "legal_name",
    "short_name",
    "tax_id",
    "tax_id_override_reason",
    "country",
    "province",
    "city",
    "district",
    "street",
    "postal_code",
    "business_scope",
    "industry",
    "potential",
    "annual_capacity",
    "intention_level",
    "intention_note",
    "source",
    "source_note",
    "owner",
)
# Contact columns and the contact fields they fill.
CONTACT_COLUMNS = {
    "contact_name": "name",
    "contact_title": "title",
    "contact_mobile": "mobile",
    "contact_phone": "phone",
    "contact_email": "email",
    "contact_is_decision_maker": "is_decision_maker",
}
CONTACT_FIELD_COLUMNS = {field: column for column, field in CONTACT_COLUMNS.items()}
CODE_MAX_LENGTH = 30

COLUMNS = (
    Column("customer_code", _("Your own customer number; empty: salesdesk issues one.")),
    Column("kind", _("enterprise or individual."), required=True),
    Column("legal_name", _("Registered name of the company or the person."), required=True),
    Column("short_name", _("At most 60 characters.")),
    Column("tax_id", _("Unified social credit code (18 characters) or 統一編號 (8 digits).")),
    Column("tax_id_override_reason", _("Why to accept a tax ID whose check digit fails.")),
    Column("country", _("CN, TW, HK, MO or XX (other); empty: CN.")),
    Column("province", _("Province; an enterprise needs a province or a city.")),
    Column("city", _("City.")),
    Column("district", _("District.")),
    Column("street", _("Street address.")),
    Column("postal_code", _("Postal code.")),
    Column("business_scope", _("Business scope.")),
    Column("industry", _("Industry, free text.")),
    Column("potential", _("high, medium, low or unknown; empty: unknown.")),
    Column("annual_capacity", _("Estimated annual purchasing capacity, a number.")),
    Column("intention_level", _("strong, medium, weak or none; empty: none.")),
    Column("intention_note", _("Notes on the purchase intention.")),
    Column("source", _("Source code from the customer sources policy."), required=True),
    Column("source_note", _("Details of the source.")),
    Column("owner", _("Username of the owner; empty: the importing user.")),
    Column("contact_name", _("Name of the first contact; needed if any contact column is set.")),
    Column("contact_title", _("Job title of the contact.")),
    Column("contact_mobile", _("Mobile phone (mainland China, Taiwan, Hong Kong or +code).")),
    Column("contact_phone", _("Office phone.")),
    Column("contact_email", _("E-mail address.")),
    Column("contact_is_decision_maker", _("yes/no (also 1/0, true/false, 是).")),
)

ALIASES = {
    "客戶編號": "customer_code",
    "客户编号": "customer_code",
    "類型": "kind",
    "类型": "kind",
    "公司名稱": "legal_name",
    "公司名称": "legal_name",
    "客戶名稱": "legal_name",
    "客户名称": "legal_name",
    "簡稱": "short_name",
    "简称": "short_name",
    "統一編號": "tax_id",
    "统一编号": "tax_id",
    "統一社會信用代碼": "tax_id",
    "统一社会信用代码": "tax_id",
    "稅號": "tax_id",
    "税号": "tax_id",
    "國家或地區": "country",
    "国家或地区": "country",
    "省份": "province",
    "城市": "city",
    "區": "district",
    "区县": "district",
    "地址": "street",
    "郵遞區號": "postal_code",
    "邮政编码": "postal_code",
    "經營範圍": "business_scope",
    "经营范围": "business_scope",
    "行業": "industry",
    "行业": "industry",
    "採購潛力": "potential",
    "采购潜力": "potential",
    "年採購能力": "annual_capacity",
    "年采购能力": "annual_capacity",
    "採購意向": "intention_level",
    "采购意向": "intention_level",
    "來源": "source",
    "来源": "source",
    "來源說明": "source_note",
    "来源说明": "source_note",
    "負責業務": "owner",
    "负责销售": "owner",
    "聯絡人": "contact_name",
    "联系人": "contact_name",
    "職稱": "contact_title",
    "职务": "contact_title",
    "手機": "contact_mobile",
    "手机": "contact_mobile",
    "電話": "contact_phone",
    "电话": "contact_phone",
    "電子郵件": "contact_email",
    "电子邮箱": "contact_email",
    "決策者": "contact_is_decision_maker",
    "决策者": "contact_is_decision_maker",
}


EXAMPLES = (
    {
        "kind": "enterprise",
        "legal_name": "台灣精密機械股份有限公司",
        "short_name": "台灣精機",
        "tax_id": "22099131",
        "country": "TW",
        "city": "臺中市",
        "district": "西屯區",
        "street": "工業區一路 100 號",
        "industry": "機械設備",
        "potential": "high",
        "annual_capacity": "5000000",
        "intention_level": "medium",
        "source": "trade_show",
        "source_note": "台北國際工具機展",
        "owner": "sales1",
        "contact_name": "陳志明",
        "contact_title": "採購經理",
        "contact_mobile": "0912345678",
        "contact_email": "chen@example.com.tw",
        "contact_is_decision_maker": "yes",
    },
    {
        "kind": "enterprise",
        "legal_name": "福州华信电子有限公司",
        "short_name": "华信电子",
        "tax_id": "91350100M000100Y43",
        "country": "CN",
        "province": "福建省",
        "city": "福州市",
        "district": "鼓楼区",
        "street": "五四路 88 号",
        "industry": "电子制造",
        "potential": "medium",
        "annual_capacity": "1200000",
        "intention_level": "strong",
        "source": "referral",
        "owner": "sales2",
        "contact_name": "王丽",
        "contact_title": "采购主管",
        "contact_mobile": "13812345678",
        "contact_email": "wangli@example.cn",
        "contact_is_decision_maker": "no",
    },
)


@dataclass
class CustomerRow:
    code: str
    customer: dict[str, Any]
    contact: dict[str, Any] | None


def _choice_aliases(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Codes and their labels in every UI language, lower-cased, → code."""
    aliases = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            aliases.update({str(label).strip().lower(): code for code, label in choices})
    aliases.update({code.lower(): code for code, _label in choices})
    return aliases


def completeness_of(customer: Customer, contacts: list[Contact]) -> int:
    """`completeness.evaluate` for an unsaved customer without addresses or invoicing."""
    checks = [c for c in completeness.CHECKS if customer.kind in c.kinds]
    total = sum(c.weight for c in checks)
    present = sum(
        c.weight for c in checks if completeness._present(customer, c.key, contacts, False, False)
    )
    return round(100 * present / total) if total else 0


@registry.register
class CustomerImporter(Importer):
    """Customers with their first contact (C1.1–C1.4); needs customers.import_customer."""

    kind = "customers"
    label = _("customers")
    permission = "customers.import_customer"
    columns = COLUMNS
    aliases = ALIASES
    examples = EXAMPLES
    batch_size = 1000

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self._choices = {
            "kind": _choice_aliases(CustomerKind.choices),
            "country": _choice_aliases(Country.choices),
            "potential": _choice_aliases(Potential.choices),
            "intention_level": _choice_aliases(IntentionLevel.choices),
            "source": _choice_aliases(rules.source_choices()),
        }
        self._owners: dict[str, User | None] = {}
        self._owner_refusals: dict[int, str] = {}
        prefix = re.escape(numbering.current_prefix("customer"))
        self._issued_code = re.compile(rf"{prefix}-\d{{8}}-\d{{4,}}")
        self._content_type = ContentType.objects.get_for_model(Customer)

    def _owner(self, value: str) -> User | str:
        if not value:
            return ""
        if value not in self._owners:
            lookup = {"pk": value} if value.isdigit() else {"username": value}
            self._owners[value] = User.objects.filter(is_active=True, **lookup).first()
        return self._owners[value] or value

    def _owner_refusal(self, owner: User) -> str:
        if self.actor.is_system:
            return ""
        if owner.pk not in self._owner_refusals:
            try:
                _check_owner_change(self.actor, owner, None)
                self._owner_refusals[owner.pk] = ""
            except DomainError as error:
                self._owner_refusals[owner.pk] = str(error.message)
        return self._owner_refusals[owner.pk]

    def _code(self, value: str, problems: list) -> str:
        if len(value) > CODE_MAX_LENGTH or re.search(r"\s", value):
            problems.append(("customer_code", _("At most 30 characters, without spaces.")))
        elif self._issued_code.fullmatch(value):
            problems.append(
                (
                    "customer_code",
                    _("Numbers of this form are issued by salesdesk; leave the cell empty."),
                )
            )
        return value

    def validate_row(self, row: dict[str, str]) -> CustomerRow:
        problems: list[tuple[str, Any]] = []
        data = {column: row.get(column, "") for column in CUSTOMER_COLUMNS}
        for column, aliases in self._choices.items():
            data[column] = aliases.get(data[column].lower(), data[column])
        data["owner"] = self._owner(data["owner"])
        cleaned = None
        try:
            cleaned = clean_customer(data, actor=self.actor)
        except ValidationFailed as error:
            problems += RowError.problems_of(error)
        if cleaned is not None and cleaned["owner"] is not None:
            refusal = self._owner_refusal(cleaned["owner"])
            if refusal:
                problems.append(("owner", refusal))
        contact = None
        contact_data = {field: row.get(column, "") for column, field in CONTACT_COLUMNS.items()}
        if any(contact_data.values()):
            try:
                contact = {**clean_contact(contact_data), "is_primary": True, "source": "import"}
            except ValidationFailed as error:
                problems += RowError.problems_of(error, CONTACT_FIELD_COLUMNS)
        code = self._code(row.get("customer_code", ""), problems)
        if problems:
            raise RowError(problems)
        return CustomerRow(code, cleaned, contact)

    def check_batch(self, rows: list[ValidRow]) -> dict[int, RowError]:
        refused: dict[int, RowError] = {}
        for key, column, message in (
            ("tax_id", "tax_id", _("Tax ID already used by customer %(code)s.")),
            ("code", "customer_code", _("Customer number already used by customer %(code)s.")),
        ):
            values = {self._key(row, key) for row in rows} - {""}
            taken = dict(Customer.objects.filter(**{f"{key}__in": values}).values_list(key, "code"))
            first_line: dict[str, int] = {}
            for row in rows:
                value = self._key(row, key)
                if not value or row.line in refused:
                    continue
                if value in taken:
                    refused[row.line] = RowError.one(column, message % {"code": taken[value]})
                elif value in first_line:
                    refused[row.line] = RowError.one(
                        column,
                        _("Same value as line %(line)s of this file.")
                        % {"line": first_line[value]},
                    )
                else:
                    first_line[value] = row.line
        return refused

    @staticmethod
    def _key(row: ValidRow, key: str) -> str:
        return row.cleaned.code if key == "code" else row.cleaned.customer["tax_id"]

    def apply_batch(self, rows: list[ValidRow]) -> int:
        now = timezone.now()
        # One block of numbers per batch: a number per row would cost a locked update each.
        issued = iter(numbering.next_numbers("customer", sum(not r.cleaned.code for r in rows)))
        customers, contacts = [], []
        for row in rows:
            values: CustomerRow = row.cleaned
            customer = Customer(
                code=values.code or next(issued),
                created_by=self.actor,
                is_imported=True,
                last_verified_at=now,
                **values.customer,
            )
            customer.name_folded, customer.core_name_folded = name_search_keys(
                customer.legal_name, customer.short_name
            )
            contact = Contact(customer=customer, **values.contact) if values.contact else None
            customer.completeness = completeness_of(customer, [contact] if contact else [])
            customers.append(customer)
            if contact is not None:
                contacts.append(contact)
        Customer.objects.bulk_create(customers)
        Contact.objects.bulk_create(contacts)
        Event.objects.bulk_create(
            Event(
                actor=self.actor,
                verb="customer.imported",
                content_type=self._content_type,
                object_id=customer.pk,
                subject_label=str(customer)[:200],
                to_state=customer.stage,
                data={"line": row.line, "contacts": int(row.cleaned.contact is not None)},
                created_at=now,
            )
            for row, customer in zip(rows, customers, strict=True)
        )
        return len(customers)
