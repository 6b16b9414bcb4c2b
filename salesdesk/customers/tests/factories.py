"""Customers made through the real service, so every test row passed validation."""

from itertools import count

from salesdesk.customers.services import customer_create

_serial = count(1)


def enterprise(owner, **overrides):
    n = next(_serial)
    data = {
        "kind": "enterprise",
        "legal_name": overrides.pop("legal_name", f"測試企業{n}號股份有限公司"),
        "short_name": overrides.pop("short_name", f"測試{n}"),
        "country": "TW",
        "city": "台中市",
        "street": f"工業路{n}號",
        "source": "trade_show",
        **overrides,
    }
    contacts = data.pop("contacts", None)
    return customer_create(
        actor=owner, data=data, contacts=contacts, acknowledge_warnings=True
    ).customer
