"""Permission groups the roles are built from (DESIGN §1), one per kind of work.

roles.py combines them into roles; keep each group to one app or one job."""

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
