import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from django.db import connections, transaction
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.core import policies
from salesdesk.core.errors import DomainError
from salesdesk.core.models import NumberSequence
from salesdesk.core.numbering import next_number, register_document_type

pytestmark = pytest.mark.req("U7")

# Document types exist only in this module: production code registers real ones in its apps.
TEST_TYPE = register_document_type("numbering_test", "TST", "Numbering test document")
OTHER_TYPE = register_document_type("numbering_test_other", "OT2", "Other test document")
DAY = date(2026, 11, 26)


def _serial(doc_type: str, day: date = DAY) -> int:
    return NumberSequence.objects.get(doc_type=doc_type, day=day).last_value


@pytest.mark.django_db
def test_numbers_have_prefix_local_date_and_a_four_digit_serial():
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0001"
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0002"
    today = timezone.localdate()
    assert next_number("numbering_test") == f"TST-{today:%Y%m%d}-0001"


@pytest.mark.django_db
def test_a_moment_is_numbered_by_its_local_day():
    # 17:00 UTC on the 26th is already the 27th in Asia/Shanghai (the configured zone).
    moment = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert next_number("numbering_test", on=moment) == "TST-20261127-0001"


@pytest.mark.django_db
def test_each_day_starts_its_own_serial():
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0001"
    assert next_number("numbering_test", on=date(2026, 11, 27)) == "TST-20261127-0001"
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0002"


@pytest.mark.django_db
def test_each_document_type_has_its_own_counter():
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0001"
    assert next_number("numbering_test_other", on=DAY) == "OT2-20261126-0001"
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0002"
    assert NumberSequence.objects.count() == 2


@pytest.mark.django_db
def test_serial_grows_past_four_digits():
    NumberSequence.objects.create(doc_type="numbering_test", day=DAY, last_value=9999)
    assert next_number("numbering_test", on=DAY) == "TST-20261126-10000"


@pytest.mark.django_db
def test_prefix_change_by_policy_keeps_counting(it_admin):
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0001"
    policies.policy_set(key=TEST_TYPE.policy_key, raw_value="NEW2", actor=it_admin)
    assert next_number("numbering_test", on=DAY) == "NEW2-20261126-0002"
    assert next_number("numbering_test_other", on=DAY) == "OT2-20261126-0001"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["so", "SO-1", "TOOLONGPX", "", "銷售"])
def test_refuses_a_bad_configured_prefix_without_taking_a_number(it_admin, prefix):
    next_number("numbering_test", on=DAY)
    policies.policy_set(key=TEST_TYPE.policy_key, raw_value=prefix, actor=it_admin)
    events = Event.objects.count()
    with pytest.raises(DomainError) as raised:
        next_number("numbering_test", on=DAY)
    assert raised.value.code == "invalid_number_prefix"
    assert raised.value.extra == {"key": "numbering.numbering_test.prefix", "prefix": prefix}
    assert _serial("numbering_test") == 1
    assert Event.objects.count() == events


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("numbering_test", on=DAY) == "TST-20261126-0001"
        raise RuntimeError("document refused")
    assert not NumberSequence.objects.filter(doc_type="numbering_test").exists()
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("numbering_test", on=DAY) == "TST-20261126-0002"
        raise RuntimeError("document refused")
    assert next_number("numbering_test", on=DAY) == "TST-20261126-0002"


def test_registration_declares_the_prefix_policy():
    definition = policies.definition("numbering.numbering_test.prefix")
    assert (definition.default, definition.kind) == ("TST", "str")
    assert register_document_type("numbering_test", "TST", "Numbering test document") == TEST_TYPE


@pytest.mark.parametrize(
    ("doc_type", "prefix"),
    [
        ("numbering_test", "XYZ"),
        ("Bad-Type", "OK"),
        ("numbering_bad", "so"),
        ("numbering_bad", "ABCDEFGHI"),
        ("numbering_bad", ""),
    ],
)
def test_registration_refuses_bad_or_conflicting_definitions(doc_type, prefix):
    with pytest.raises(ValueError):
        register_document_type(doc_type, prefix, "Bad")


def test_unknown_document_type_is_a_programming_error():
    with pytest.raises(ValueError):
        next_number("no_such_type", on=DAY)


@pytest.mark.django_db(transaction=True)
def test_parallel_numbering_gives_distinct_numbers_without_gaps():
    threads, per_thread = 8, 10
    start = threading.Barrier(threads)

    def take_numbers() -> list[str]:
        try:
            start.wait()
            return [next_number("numbering_test", on=DAY) for _ in range(per_thread)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(take_numbers) for _ in range(threads)]
        numbers = [number for future in futures for number in future.result()]

    assert len(numbers) == len(set(numbers)) == threads * per_thread
    assert sorted(numbers) == [f"TST-20261126-{n:04d}" for n in range(1, 81)]
    assert _serial("numbering_test") == 80
