import factory
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.notifications.models import EmailState, Notification, OutboundEmail


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Order SO-{n:04d} approved")
    body = "The order was approved."
    url = "/orders/1/"


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """An outbox row written directly, for tests that start from a given state."""

    class Meta:
        model = OutboundEmail

    to = "buyer@example.com"
    subject = factory.Sequence(lambda n: f"Shipping notice {n}")
    body = "Your goods are on the way."
    state = EmailState.QUEUED
    next_attempt_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)
