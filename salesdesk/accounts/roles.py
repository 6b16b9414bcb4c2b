"""Role → permission mapping, reviewed like code (DESIGN §1).

Each role is a Django group. `sync_roles()` makes the groups hold exactly the permissions
listed here; it runs after every `migrate` and with `salesdesk syncroles`. Patterns use
shell wildcards over "app_label.codename" and match only salesdesk's own apps, so
"*.view_*" means "read every business table". Later issues add their permissions here.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from django.utils.translation import gettext_lazy as _

SYSTEM_USERNAME = "system"


@dataclass(frozen=True)
class Role:
    name: str
    label: Any
    permissions: tuple[str, ...]
    internal: bool = False


# Customers (C3.3): editors work on their own (or their team's) customers; readers see every
# customer with personal data masked.
CUSTOMER_EDITOR = (
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "customers.qualify_customer",
    "customers.reveal_contact",
    "customers.export_customer",
)
CUSTOMER_READER = ("customers.view_customer", "customers.view_all_customers")
# Catalogue and stock (O1.3, O2.3): everyone who takes or fulfils orders reads it.
CATALOG_READER = (
    "catalog.view_product",
    "catalog.view_pricelist",
    "catalog.view_warehouse",
    "catalog.view_stock",
)
CATALOG_EDITOR = (
    "catalog.add_product",
    "catalog.change_product",
    "catalog.add_pricelist",
    "catalog.change_pricelist",
)

# Orders (O1–O4): entry by salespeople and sales admins, decisions by sales admins,
# credit releases by finance and managers within their authority (a policy).
ORDER_ENTRY = (
    "orders.view_order",
    "orders.add_order",
    "orders.change_order",
    "orders.submit_order",
    "orders.cancel_order",
)
ORDER_READER = ("orders.view_order", "orders.view_all_orders")
# Contracts (K1–K4): sales admins draft and sign; legal, finance and management countersign.
CONTRACT_DRAFTER = (
    "contracts.view_contract",
    "contracts.add_contract",
    "contracts.change_contract",
    "contracts.draft_contract",
    "contracts.sign_contract",
    "contracts.end_contract",
)
CONTRACT_REVIEWER = (
    "contracts.view_contract",
    "contracts.view_all_contracts",
    "contracts.review_contract",
)
# Shipping (S1–S4): sales admins plan and coordinate, the warehouse and quality prepare,
# logistics books carriers, dispatches and tracks; readers follow every shipment.
SHIPPING_READER = ("shipping.view_shipment", "shipping.view_all_shipments", "shipping.view_carrier")
SHIPPING_COORDINATOR = (
    "shipping.view_shipment",
    "shipping.view_carrier",
    "shipping.add_shipment",
    "shipping.prepare_shipment",
    "shipping.book_shipment",
)
LOGISTICS = (
    *SHIPPING_READER,
    "shipping.book_shipment",
    "shipping.add_carrier",
    "shipping.change_carrier",
    "shipping.add_carrieragreement",
    "shipping.change_carrieragreement",
    "shipping.view_carrieragreement",
    "shipping.add_carrierpreference",
    "shipping.change_carrierpreference",
)
# Receivables (U1, U6): finance invoices, records and allocates payments and imports both;
# sales admins invoice shipped lines; readers see the customers they may see.
RECEIVABLES_READER = ("finance.view_invoice", "finance.view_payment")
FINANCE_CLERK = (
    *RECEIVABLES_READER,
    "finance.add_invoice",
    "finance.void_invoice",
    "finance.import_invoice",
    "finance.add_payment",
    "finance.allocate_payment",
    "finance.import_payment",
)
# Risk (R1–R2): risk managers edit and move every risk; owners and whoever raised a risk edit
# theirs; salespeople see their customers' risks and scores; supervisors read (view_*).
RISK_READER = ("risk.view_risk", "risk.view_creditscore", "risk.view_contingencyactivation")
RISK_EDITOR = (*RISK_READER, "risk.add_risk", "risk.change_risk")
RISK_MANAGER = (
    *RISK_EDITOR,
    "risk.view_all_risks",
    "risk.manage_risk",
    "risk.recompute_credit_score",
)
# Monitoring (R3.1): owners see, acknowledge and close their own warnings; IT administrators
# and management see every warning; the system user runs the checks.
MONITORING_OWNER = (
    "monitoring.view_earlywarning",
    "monitoring.acknowledge_warning",
    "monitoring.close_warning",
)
MONITORING_OVERSIGHT = ("monitoring.view_earlywarning", "monitoring.view_all_warnings")
# Departments work the work orders allocated to their role (O3.1).
DEPARTMENT_WORK = ("workorders.work_workorder",)
# Supervision (E1.1): anyone may own a corrective action (整改) and report it done.
CORRECTIVE_ACTION_OWNER = ("supervision.work_correctiveaction",)
# Evaluations (E2.3, E3.1): the supervision group and management run, publish, commend or
# correct and log process improvements; the system user makes the scheduled runs.
EVALUATOR = (
    "supervision.run_evaluation",
    "supervision.publish_evaluation",
    "supervision.log_improvement",
)
# Analysis report packs (A3): company-wide figures, so read by management, sales managers,
# sales admins and supervisors (view_*), not by salespeople; managers and admins generate.
REPORT_READER = ("reports.view_reportpack",)
REPORT_MAKER = (*REPORT_READER, "reports.generate_reportpack")

# Backups (R2.4): IT admins (the admin role) and the scheduled job write and verify them.
BACKUP_OPERATOR = ("backups.view_backuprun", "backups.run_backup")
# Training (T1.1–T3.1): everybody sees courses, sessions and their own record without a
# permission; sales managers and management run courses, sessions and career plans.
TRAINING_MANAGER = (
    "training.manage_training",
    "training.manage_careerplan",
    "training.view_course",
    "training.view_trainingsession",
)

ROLES: tuple[Role, ...] = (
    Role(
        "sales_admin",
        _("Sales admin"),
        (
            *CORRECTIVE_ACTION_OWNER,
            "audit.view_event",
            *CUSTOMER_EDITOR,
            "customers.view_team_customers",
            "customers.import_customer",
            "customers.import_history",
            "customers.erase_contact",
            "customers.share_customer",
            "customers.view_datasharingagreement",
            *CATALOG_READER,
            *CATALOG_EDITOR,
            *ORDER_ENTRY,
            "orders.view_team_orders",
            "orders.approve_order",
            "orders.record_delay",
            "workorders.view_workorder",
            *CONTRACT_DRAFTER,
            "contracts.view_contracttype",
            *SHIPPING_COORDINATOR,
            *RECEIVABLES_READER,
            "finance.add_invoice",
            *RISK_EDITOR,
            *MONITORING_OWNER,
            *REPORT_MAKER,
        ),
    ),
    Role(
        "salesperson",
        _("Salesperson"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_EDITOR,
            *CATALOG_READER,
            *ORDER_ENTRY,
            "contracts.view_contract",
            "shipping.view_shipment",
            *RECEIVABLES_READER,
            "risk.view_risk",
            "risk.view_creditscore",
            *MONITORING_OWNER,
        ),
    ),
    Role(
        "sales_manager",
        _("Sales manager"),
        (
            *CORRECTIVE_ACTION_OWNER,
            "audit.view_event",
            *CUSTOMER_EDITOR,
            "customers.view_team_customers",
            "customers.transfer_customer",
            *CATALOG_READER,
            *ORDER_ENTRY,
            "orders.view_team_orders",
            "orders.release_credit_hold",
            "orders.override_compliance",
            "orders.record_delay",
            "workorders.view_workorder",
            "contracts.view_contract",
            "shipping.view_shipment",
            *RECEIVABLES_READER,
            *RISK_MANAGER,
            *MONITORING_OWNER,
            *REPORT_MAKER,
            *TRAINING_MANAGER,
            "training.view_team_training",
            # Market sizes for market share (A2.2).
            "analytics.view_marketsize",
            "analytics.add_marketsize",
            "analytics.change_marketsize",
        ),
    ),
    Role(
        "legal",
        _("Legal"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            *ORDER_READER,
            *CONTRACT_REVIEWER,
            "contracts.view_contracttype",
            "contracts.add_contracttype",
            "contracts.change_contracttype",
            *RISK_EDITOR,
            "risk.view_all_risks",
            *MONITORING_OWNER,
        ),
    ),
    Role(
        "finance",
        _("Finance"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            "customers.reveal_contact",
            "customers.change_credit",
            *ORDER_READER,
            "orders.release_credit_hold",
            *CONTRACT_REVIEWER,
            *SHIPPING_READER,
            *FINANCE_CLERK,
            *RISK_MANAGER,
            *MONITORING_OWNER,
        ),
    ),
    Role(
        "production",
        _("Production"),
        (*CORRECTIVE_ACTION_OWNER, *CATALOG_READER, *ORDER_READER, *DEPARTMENT_WORK),
    ),
    Role(
        "purchasing",
        _("Purchasing"),
        (*CORRECTIVE_ACTION_OWNER, *CATALOG_READER, *ORDER_READER, *DEPARTMENT_WORK),
    ),
    Role(
        "warehouse",
        _("Warehouse"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            *CATALOG_READER,
            "catalog.change_stock",
            *ORDER_READER,
            *DEPARTMENT_WORK,
            *SHIPPING_READER,
            "shipping.prepare_shipment",
        ),
    ),
    Role(
        "quality",
        _("Quality"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CATALOG_READER,
            *ORDER_READER,
            *DEPARTMENT_WORK,
            *SHIPPING_READER,
            "shipping.prepare_shipment",
        ),
    ),
    Role(
        "logistics",
        _("Logistics"),
        (
            *CORRECTIVE_ACTION_OWNER,
            *CUSTOMER_READER,
            *ORDER_READER,
            "contracts.view_contract",
            "contracts.view_all_contracts",
            *LOGISTICS,
            *DEPARTMENT_WORK,
        ),
    ),
    Role(
        "supervisor",
        _("Supervisor"),
        (
            "*.view_*",
            "supervision.inspect",
            "supervision.work_correctiveaction",
            "supervision.verify_correctiveaction",
            *EVALUATOR,
        ),
    ),
    Role(
        "management",
        _("Management"),
        (
            *CORRECTIVE_ACTION_OWNER,
            "supervision.view_kpis",
            *EVALUATOR,
            "supervision.view_evaluationrun",
            "supervision.view_processimprovement",
            "audit.view_event",
            *CUSTOMER_READER,
            "customers.export_customer",
            *ORDER_READER,
            *CONTRACT_REVIEWER,
            *SHIPPING_READER,
            *RECEIVABLES_READER,
            *RISK_MANAGER,
            *MONITORING_OVERSIGHT,
            *REPORT_READER,
            *TRAINING_MANAGER,
            "training.view_all_training",
        ),
    ),
    Role(
        "admin",
        _("Administrator"),
        (
            "accounts.view_user",
            "accounts.add_user",
            "customers.import_history",
            "accounts.change_user",
            "accounts.view_department",
            "accounts.add_department",
            "accounts.change_department",
            "accounts.view_apitoken",
            "core.view_policy",
            "core.change_policy",
            "audit.view_event",
            "audit.view_accesslog",
            "notifications.view_outboundemail",
            "notifications.retry_outboundemail",
            "notifications.cancel_outboundemail",
            *RISK_EDITOR,
            *MONITORING_OWNER,
            *MONITORING_OVERSIGHT,
            "monitoring.run_monitoring",
            *BACKUP_OPERATOR,
        ),
    ),
    Role(
        "system",
        _("System"),
        (
            "notifications.send_outboundemail",
            "notifications.retry_outboundemail",
            *ORDER_READER,
            "orders.approve_order",
            "contracts.view_contract",
            "contracts.view_all_contracts",
            "contracts.end_contract",
            *SHIPPING_READER,
            "shipping.book_shipment",
            "risk.view_all_risks",
            "risk.recompute_credit_score",
            "monitoring.run_monitoring",
            *BACKUP_OPERATOR,
            *REPORT_MAKER,
            "supervision.run_evaluation",
        ),
        internal=True,
    ),
)

ROLE_NAMES = tuple(role.name for role in ROLES)
ASSIGNABLE_ROLES = tuple(role.name for role in ROLES if not role.internal)


def role(name: str) -> Role:
    for candidate in ROLES:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def role_label(name: str) -> Any:
    try:
        return role(name).label
    except KeyError:
        return name


def _own_permissions():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    own = [cfg.label for cfg in apps.get_app_configs() if cfg.name.startswith("salesdesk.")]
    return Permission.objects.filter(content_type__app_label__in=own).select_related("content_type")


def resolve(patterns: tuple[str, ...], available) -> set:
    """The permissions a role's patterns name; an exact name that matches nothing is an error."""
    chosen = set()
    for pattern in patterns:
        matched = {
            p for p in available if fnmatchcase(f"{p.content_type.app_label}.{p.codename}", pattern)
        }
        if not matched and not any(ch in pattern for ch in "*?["):
            raise ValueError(f"roles.py names an unknown permission: {pattern}")
        chosen |= matched
    return chosen


def sync_roles() -> dict[str, int]:
    """Make every role group hold exactly its listed permissions; returns counts per role."""
    from django.contrib.auth.models import Group

    available = list(_own_permissions())
    counts = {}
    for item in ROLES:
        group, _created = Group.objects.get_or_create(name=item.name)
        wanted = resolve(item.permissions, available)
        group.permissions.set(wanted)
        counts[item.name] = len(wanted)
    return counts


def sync_roles_after_migrate(sender, app_config=None, **kwargs) -> None:
    """post_migrate hook: once all apps' permissions exist, sync the role groups."""
    from django.apps import apps

    with_models = [cfg for cfg in apps.get_app_configs() if cfg.models_module is not None]
    if app_config is not None and app_config.label == with_models[-1].label:
        sync_roles()
