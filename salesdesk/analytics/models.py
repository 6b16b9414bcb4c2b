"""Sales facts at order-line grain and their daily rollup, the inputs of every metric (A1.1, A2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel
from salesdesk.customers.models import Customer

MONEY = {"max_digits": 18, "decimal_places": 2}
QUANTITY = {"max_digits": 16, "decimal_places": 3}

# The slicing columns a SalesCell row is keyed by; every one is also a SalesFact column.
ROLLUP_KEY = (
    "customer_code",
    "sku",
    "salesperson",
    "channel",
    "industry",
    "country",
    "region",
    "province",
    "category",
    "ship_mode",
)


class SalesFact(models.Model):
    """One sold order line, from a live order or imported history; derived data (A1.1)."""

    order_date = models.DateField(_("order date"))
    order_number = models.CharField(_("order number"), max_length=30)
    line_number = models.PositiveIntegerField(_("line"))
    is_first_line = models.BooleanField(
        _("first line of its order"),
        default=False,
        help_text=_("Exactly one line per order carries the order in order counts."),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    customer_code = models.CharField(_("customer number"), max_length=30)
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    country = models.CharField(_("country/region"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=40, blank=True)
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    sku = models.CharField(_("SKU"), max_length=40)
    category = models.CharField(_("category"), max_length=60, blank=True)
    salesperson = models.CharField(_("salesperson"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    ship_mode = models.CharField(_("ship mode"), max_length=20, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    revenue = models.DecimalField(_("revenue"), **MONEY)
    cost = models.DecimalField(_("cost"), **MONEY, null=True, blank=True)
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20)
    is_imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("sales fact")
        verbose_name_plural = _("sales facts")
        constraints = [
            models.UniqueConstraint(
                fields=["order_number", "line_number"], name="analytics_fact_line_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["order_date"], name="analytics_fact_date"),
            models.Index(fields=["order_date", "customer_code"], name="analytics_fact_customer"),
            models.Index(fields=["order_date", "sku"], name="analytics_fact_sku"),
            models.Index(fields=["order_date", "salesperson"], name="analytics_fact_salesperson"),
            # One customer's history (last order day, at-risk list).
            models.Index(fields=["customer_code", "order_date"], name="analytics_fact_history"),
            # Partial indexes: the data-quality page (A1.2) counts these few rows fast.
            *(
                models.Index(fields=["order_date"], name=f"analytics_fact_q_{name}", condition=q)
                for name, q in (
                    ("no_cost", models.Q(cost__isnull=True)),
                    ("below_cost", models.Q(cost__isnull=False, revenue__lt=models.F("cost"))),
                    ("no_promise", models.Q(delivery_date__isnull=False, promised_date=None)),
                    ("no_seller", models.Q(salesperson="")),
                    ("no_customer", models.Q(customer__isnull=True)),
                    ("no_category", models.Q(category="")),
                    ("no_region", models.Q(region="")),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_number}/{self.line_number}"


class SalesCell(models.Model):
    """Facts summed per cuboid (a set of dimensions) and period, kept current (A2.1, A2.2).

    A cuboid keeps some of the ROLLUP_KEY columns and blanks the others; `grain` says whether
    `period` is a day, month, quarter or year start. salesdesk.analytics.cube defines the
    cuboids and picks, per query, the smallest one that answers it exactly."""

    grain = models.CharField(_("grain"), max_length=1)
    cuboid = models.PositiveSmallIntegerField(_("cuboid"))
    period = models.DateField(_("period"))
    customer_code = models.CharField(_("customer number"), max_length=30, blank=True)
    sku = models.CharField(_("SKU"), max_length=40, blank=True)
    salesperson = models.CharField(_("salesperson"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    country = models.CharField(_("country/region"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=40, blank=True)
    province = models.CharField(_("province"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    ship_mode = models.CharField(_("ship mode"), max_length=20, blank=True)
    orders = models.IntegerField(_("orders"), default=0)
    first_lines = models.IntegerField(_("first lines of orders"), default=0)
    quantity = models.DecimalField(_("quantity"), **QUANTITY, default=0)
    revenue = models.DecimalField(_("revenue"), **MONEY, default=0)
    cost = models.DecimalField(_("cost"), **MONEY, default=0)
    lines = models.IntegerField(_("lines"), default=0)
    delivered_lines = models.IntegerField(_("delivered lines"), default=0)
    on_time_lines = models.IntegerField(_("lines delivered on time"), default=0)
    retained = models.SmallIntegerField(
        _("ordered again in the next period"),
        default=0,
        help_text=_("Customer cuboids only: 1 if the customer ordered in the next period."),
    )
    is_new = models.SmallIntegerField(
        _("first order in this period"),
        default=0,
        help_text=_("Customer cuboids only: 1 if the customer's first order is in this period."),
    )
    first_cell = models.SmallIntegerField(
        _("counts the customer"),
        default=0,
        help_text=_(
            "Customer cuboids only: 1 on exactly one cell per customer and period, so summing it"
            " counts customers."
        ),
    )
    stable = models.SmallIntegerField(
        _("single and unchanged"),
        default=0,
        help_text=_(
            "Customer cuboids only: 1 if this is the customer's only cell in the period and"
            " their cells of the next period, if any, have the same attributes; counts and churn"
            " by customer attribute then need a DISTINCT only for the others."
        ),
    )

    class Meta:
        verbose_name = _("sales cell")
        verbose_name_plural = _("sales cells")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "cuboid", "period", *ROLLUP_KEY], name="analytics_cell_key"
            ),
        ]
        indexes = [
            # Customers come in order within a period: a year by customer (or its top 10)
            # is read in index order, without hashing or sorting 100,000 groups.
            models.Index(
                fields=["cuboid", "grain", "period", "customer_code"],
                name="analytics_cell_period_cust",
            ),
            models.Index(
                fields=["cuboid", "grain", "customer_code", "period"],
                name="analytics_cell_customer",
            ),
            # A salesperson's own figures ("My sales") read the customer cuboids by salesperson.
            models.Index(
                fields=["cuboid", "grain", "salesperson", "period"],
                name="analytics_cell_salesperson",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grain}{self.cuboid} {self.period}"


class CustomerFirstOrder(models.Model):
    """The day of each customer's first order in the facts, for new-customer counts (A2.2)."""

    customer_code = models.CharField(_("customer number"), max_length=30, unique=True)
    day = models.DateField(_("first order"), db_index=True)
    month = models.DateField(_("month of the first order"), null=True)
    quarter = models.DateField(_("quarter of the first order"), null=True)
    year = models.DateField(_("year of the first order"), null=True)

    class Meta:
        verbose_name = _("first order of a customer")
        verbose_name_plural = _("first orders of customers")

    def __str__(self) -> str:
        return f"{self.customer_code} {self.day}"


class RefreshState(models.Model):
    """How far the incremental fact refresh has read the order tables (A1.1)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    watermark = models.DateTimeField(_("changes read up to"))

    class Meta:
        verbose_name = _("refresh state")
        verbose_name_plural = _("refresh states")

    def __str__(self) -> str:
        return f"{self.name} {self.watermark}"


class MarketSize(BaseModel):
    """The size of a market (revenue of all suppliers) per segment, region and period (A2.2).

    `segment` is a product category and `region` a sales region; blank means "all". Market
    share divides our revenue by the sizes whose period lies inside the requested one."""

    segment = models.CharField(_("segment (product category)"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=40, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    size = models.DecimalField(_("market size (excl. tax)"), **MONEY)
    source = models.CharField(_("source of the estimate"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("market size")
        verbose_name_plural = _("market sizes")
        ordering = ["-period_start", "segment", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "region", "period_start", "period_end"],
                name="analytics_market_size_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment or '*'} {self.region or '*'} {self.period_start}–{self.period_end}"
