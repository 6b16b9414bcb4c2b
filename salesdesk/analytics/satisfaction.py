"""Customer satisfaction (A2.2, S4.3): mean survey score, sliced like the other metrics."""

from decimal import Decimal

from django.db.models import Avg, F, FloatField, Value
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.slicing import TIME_DIMENSIONS, Period, Slice, apply_slice, grouped
from salesdesk.core.errors import ValidationFailed
from salesdesk.shipping.models import SurveyResponse

RATE = Decimal("0.0001")


# Survey answers know their customer and shipment, not the order line: no product slices.
SURVEY_COLUMNS = {
    "customer": "customer__code",
    "industry": "customer__industry",
    "country": "customer__country",
    "province": "customer__province",
    "salesperson": "customer__owner__username",
    "channel": "shipment__order__channel",
    "ship_mode": "shipment__mode",
}


def satisfaction(sales_slice: Slice, period: Period, group_by: list[str]) -> list[dict]:
    """Mean of (quality + timeliness + service) / 3 over survey answers created in the period."""
    for dim in [*group_by, *sales_slice.values]:
        if dim not in SURVEY_COLUMNS and dim not in TIME_DIMENSIONS:
            raise ValidationFailed(
                _("Satisfaction cannot be sliced by “%(name)s”.") % {"name": dim},
                code="unsupported_dimension",
                field=dim,
            )
    answers = SurveyResponse.objects.filter(
        created_at__date__gte=period.start, created_at__date__lte=period.end
    ).annotate(answered_on=TruncDate("created_at"))
    answers = apply_slice(answers, sales_slice, SURVEY_COLUMNS)
    # Cast before dividing: integer division would drop the thirds (14 / 3 = 4).
    total = Cast(F("quality") + F("timeliness") + F("service"), FloatField())
    measures = {"m_score": Avg(total / Value(3.0))}
    rows = grouped(answers, "answered_on", group_by, SURVEY_COLUMNS, **measures)
    rows = rows if group_by or rows else [{"m_score": None}]
    return [
        {
            **{d: r[d] for d in group_by},
            "value": None if r["m_score"] is None else Decimal(r["m_score"]).quantize(RATE),
        }
        for r in rows
    ]
