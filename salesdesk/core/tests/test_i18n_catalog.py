"""Catalog tooling without system gettext: extract, merge, fill zh_Hans, compile, check (U10)."""

import ast
import gettext
import re
import textwrap

import polib
import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.utils import translation
from django.utils.translation.template import templatize

from salesdesk.core import i18n_catalog
from salesdesk.core.i18n_catalog import (
    catalog_compile,
    catalog_extract,
    catalog_fill_hans,
    catalog_merge,
    catalog_problems,
    hans_convert,
    hans_fill,
    placeholders,
    po_load,
    po_path,
    po_save,
)
from salesdesk.core.i18n_extract import (
    ExtractionError,
    Message,
    messages_extract,
    python_messages,
    template_messages,
)

PYTHON_SAMPLE = textwrap.dedent(
    """
    from django.utils import translation
    from django.utils.translation import gettext as _, ngettext, pgettext_lazy

    LABEL = gettext_lazy("Customer")
    NOOP = gettext_noop("Draft")
    MONTH = pgettext_lazy("month name", "May")
    STATE = pgettext("order state", "Open")

    def describe(name, count, label):
        greeting = _("Hello %(name)s") % {"name": name}
        items = ngettext("%(count)d item", "%(count)d items", count) % {"count": count}
        lazy = ngettext_lazy("One order", "%(count)d orders", "count")
        late = npgettext("overdue", "One day late", "%(days)d days late", count)
        plain = translation.gettext("Sales admin")
        return _(label), _(f"Hi {name}"), _(""), gettext("50% off"), greeting, items, lazy, late
    """
)

TEMPLATE_SAMPLE = textwrap.dedent(
    """\
    {% load i18n %}
    <h1>{% translate "Customers" %}</h1>
    <p>{% trans 'Orders' %}</p>
    <p>{% translate "May" context "month name" %}</p>
    <p>{% translate "Open" context 'order state' as open_label %}[{{ open_label }}]</p>
    <p>{% translate "Saved" noop %}</p>
    <p>{% translate "100% paid"|upper %}</p>
    {% blocktranslate %}Hello {{ name }}, 5% off.{% endblocktranslate %}
    {% blocktrans with amount=total|floatformat:2 %}Total: {{ amount }}{% endblocktrans %}
    {% blocktranslate trimmed with customer=customer_name %}
      The order of
      {{ customer }} was   approved.
    {% endblocktranslate %}
    {% blocktrans count n=items|length %}{{ n }} item{% plural %}{{ n }} items{% endblocktrans %}
    {% blocktranslate trimmed count days=late context "overdue" %}
      One day late
    {% plural %}
      {{ days }} days late
    {% endblocktranslate %}
    {{ _("Sales admin") }} {{ empty|default:_("none") }}
    {% comment %}{% translate "Not extracted" %}{% endcomment %}
    {# {% translate "Also not extracted" %} #}
    """
)

TEMPLATE_EXPECTED = {
    (None, "Customers"): None,
    (None, "Orders"): None,
    ("month name", "May"): None,
    ("order state", "Open"): None,
    (None, "Saved"): None,
    (None, "100%% paid"): None,
    (None, "Hello %(name)s, 5%% off."): None,
    (None, "Total: %(amount)s"): None,
    (None, "The order of %(customer)s was   approved."): None,
    (None, "%(n)s item"): "%(n)s items",
    ("overdue", "One day late"): "%(days)s days late",
    (None, "Sales admin"): None,
    (None, "none"): None,
}


def _as_dict(found):
    return {message.key: message.plural for message, _line in found}


def _templatize_messages(source):
    """The msgids Django's makemessages would pass to xgettext for a template."""
    calls = re.findall(
        r"\b(?:n?p?gettext|_)\((?:u?'[^']*'|u?\"[^\"]*\"|[\s,]|count)*\)", templatize(source)
    )
    found = {}
    for call in calls:
        node = ast.parse(call.strip(), mode="eval").body
        name = node.func.id
        args = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
        context = args.pop(0) if name.startswith(("pgettext", "npgettext")) else None
        found[(context, args[0])] = args[1] if name.startswith(("ngettext", "npgettext")) else None
    return found


def test_python_extraction_finds_every_gettext_form():
    found = python_messages(PYTHON_SAMPLE)

    assert _as_dict(found) == {
        (None, "Customer"): None,
        (None, "Draft"): None,
        ("month name", "May"): None,
        ("order state", "Open"): None,
        (None, "Hello %(name)s"): None,
        (None, "%(count)d item"): "%(count)d items",
        (None, "One order"): "%(count)d orders",
        ("overdue", "One day late"): "%(days)d days late",
        (None, "Sales admin"): None,
        (None, "50% off"): None,
    }
    lines = {message.msgid: line for message, line in found}
    assert lines["Customer"] == 5
    assert lines["Hello %(name)s"] == 11


def test_python_syntax_error_is_an_extraction_error():
    with pytest.raises(ExtractionError, match=r"broken\.py"):
        python_messages("def (:\n", "broken.py")


def test_template_extraction_gives_expected_msgids():
    found = template_messages(TEMPLATE_SAMPLE)

    assert _as_dict(found) == TEMPLATE_EXPECTED
    lines = {message.msgid: line for message, line in found}
    assert lines["The order of %(customer)s was   approved."] == 10
    assert lines["One day late"] == 15


def test_template_extraction_agrees_with_django_templatize():
    assert _as_dict(template_messages(TEMPLATE_SAMPLE)) == _templatize_messages(TEMPLATE_SAMPLE)


def test_block_with_another_tag_is_an_extraction_error():
    source = "{% load i18n %}{% blocktranslate %}a {% if x %}b{% endif %}{% endblocktranslate %}"

    with pytest.raises(ExtractionError, match="may not contain"):
        template_messages(source, "bad.html")
    with pytest.raises(ExtractionError, match="not closed"):
        template_messages("{% blocktranslate %}open", "open.html")


def _translate_all(messages, prefix="ZH "):
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for message in messages.values():
        entry = polib.POEntry(msgid=message.msgid, msgctxt=message.context)
        if message.plural:
            entry.msgid_plural = message.plural
            entry.msgstr_plural = {0: prefix + message.plural}
        else:
            entry.msgstr = prefix + message.msgid
        po.append(entry)
    return po


def test_extracted_template_msgids_are_found_at_runtime(tmp_path, settings):
    source_dir = tmp_path / "app"
    (source_dir / "templates").mkdir(parents=True)
    (source_dir / "templates" / "sample.html").write_text(TEMPLATE_SAMPLE, encoding="utf-8")
    messages = messages_extract(source_dir)
    locale_dir = tmp_path / "locale"
    po_save(_translate_all(messages), locale_dir, "zh_Hant")
    catalog_compile(locale_dir, "zh_Hant")
    settings.LOCALE_PATHS = [locale_dir]
    context = {"name": "Ann", "total": 12.5, "customer_name": "ACME", "items": [1, 2, 3], "late": 2}

    with translation.override("zh-hant"):
        html = Template(TEMPLATE_SAMPLE).render(Context(context))

    for text in (
        "ZH Customers",
        "ZH Orders",
        "ZH May",
        "[ZH Open]",
        "ZH 100% PAID",
        "ZH Hello Ann, 5% off.",
        "ZH Total: 12.50",
        "ZH The order of ACME was   approved.",
        "ZH 3 items",
        "ZH 2 days late",
        "ZH Sales admin",
        "ZH none",
    ):
        assert text in html
    assert "Saved" in html
    assert "ZH Saved" not in html


def test_extraction_walks_tree_and_skips_tests_migrations_and_testing(tmp_path):
    source_dir = tmp_path / "salesdesk"
    for folder in ("orders/templates/orders", "orders/migrations", "orders/tests", "testing"):
        (source_dir / folder).mkdir(parents=True)
    (source_dir / "orders" / "models.py").write_text('_("Order")\n\n_("Order")\n')
    (source_dir / "orders" / "templates" / "orders" / "list.txt").write_text(
        '{% load i18n %}\n{% translate "Order" %}\n'
    )
    for skipped in ("orders/migrations/0001_initial.py", "orders/tests/test_x.py", "testing/p.py"):
        (source_dir / skipped).write_text('_("Skipped")\n')

    messages = messages_extract(source_dir)

    assert list(messages) == [(None, "Order")]
    assert sorted(messages[(None, "Order")].occurrences) == [
        ("salesdesk/orders/models.py", 1),
        ("salesdesk/orders/models.py", 3),
        ("salesdesk/orders/templates/orders/list.txt", 2),
    ]


def _messages(*specs):
    result = {}
    for msgid, context, plural in specs:
        message = Message(msgid, context=context, plural=plural, occurrences={("a.py", 1)})
        result[message.key] = message
    return result


def test_merge_adds_new_keeps_translations_and_marks_obsolete(tmp_path):
    po = po_load(tmp_path, "zh_Hant")
    po.append(polib.POEntry(msgid="Order", msgstr="訂單"))
    po.append(polib.POEntry(msgid="Gone", msgstr="已移除"))
    po.append(polib.POEntry(msgid="Back", msgstr="回來了", obsolete=True))
    po.append(polib.POEntry(msgid="Item", msgstr="品項"))
    messages = _messages(
        ("Order", None, None),
        ("Back", None, None),
        ("Customer", None, None),
        ("Open", "order state", None),
        ("Item", None, "%(count)d items"),
    )

    merged = catalog_merge(po, messages, "zh_Hant")

    entries = {(e.msgctxt, e.msgid): e for e in merged}
    assert entries[(None, "Order")].msgstr == "訂單"
    assert entries[(None, "Back")].msgstr == "回來了"
    assert not entries[(None, "Back")].obsolete
    assert entries[(None, "Customer")].msgstr == ""
    assert entries[("order state", "Open")].msgstr == ""
    assert entries[(None, "Gone")].obsolete
    assert entries[(None, "Gone")].msgstr == "已移除"
    assert entries[(None, "Item")].msgstr_plural == {0: "品項"}
    assert "python-format" in entries[(None, "Item")].flags
    assert [e.msgid for e in merged if not e.obsolete] == [
        "Back",
        "Customer",
        "Item",
        "Open",
        "Order",
    ]
    assert entries[(None, "Order")].occurrences == [("a.py", "1")]
    assert merged.metadata["Language"] == "zh_Hant"
    assert merged.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert merged.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert '#~ msgid "Gone"' in str(merged)


def test_extract_writes_three_catalogs_once_and_is_stable(tmp_path):
    source_dir = tmp_path / "salesdesk"
    source_dir.mkdir()
    (source_dir / "views.py").write_text('_("Order")\nngettext("%(n)s day", "%(n)s days", 2)\n')
    locale_dir = tmp_path / "locale"

    first = catalog_extract(source_dir, locale_dir)
    text = po_path(locale_dir, "en").read_text(encoding="utf-8")
    second = catalog_extract(source_dir, locale_dir)

    assert first == {"zh_Hant": (2, True), "zh_Hans": (2, True), "en": (2, True)}
    assert second == {"zh_Hant": (2, False), "zh_Hans": (2, False), "en": (2, False)}
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert 'msgstr[1] ""' in text
    assert po_path(locale_dir, "en").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("taiwan", "mainland"),
    [
        ("請登入您的帳號", "请登录您的账号"),
        ("預設語言", "默认语言"),
        ("登出", "退出"),
        ("匯出客戶資料", "导出客户资料"),
        ("稽核紀錄", "审计记录"),
        ("您沒有權限執行此操作", "您没有权限执行此操作"),
        ("應收帳款逾期", "应收账款逾期"),
        ("%(name)s 的檔案已儲存", "%(name)s 的文件已保存"),
        ("使用者密碼", "用户密码"),
        ("列印發票", "打印发票"),
    ],
)
def test_hans_convert_uses_mainland_vocabulary(taiwan, mainland):
    assert hans_convert(taiwan) == mainland


def test_hans_fill_converts_empty_entries_and_never_overwrites():
    hant, hans = polib.POFile(), polib.POFile()
    hant.append(polib.POEntry(msgid="Sign in", msgstr="登入"))
    hant.append(polib.POEntry(msgid="Data", msgstr="資料"))
    hant.append(polib.POEntry(msgid="Draft", msgstr="草稿", flags=["fuzzy"]))
    hant.append(
        polib.POEntry(
            msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: "%(n)s 天後登出"}
        )
    )
    hans.append(polib.POEntry(msgid="Sign in", msgstr=""))
    hans.append(polib.POEntry(msgid="Data", msgstr="资料（人工）"))
    hans.append(polib.POEntry(msgid="Draft", msgstr=""))
    hans.append(polib.POEntry(msgid="Untranslated", msgstr=""))
    hans.append(polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: ""}))

    filled = hans_fill(hant, hans)

    assert filled == 2
    assert [e.msgstr for e in hans][:4] == ["登录", "资料（人工）", "", ""]
    assert hans[4].msgstr_plural == {0: "%(n)s 天后退出"}
    assert hans_fill(hant, hans) == 0


def test_compile_writes_mo_that_gnutranslations_reads(tmp_path):
    po = po_load(tmp_path, "zh_Hant")
    po.append(polib.POEntry(msgid="Order", msgstr="訂單"))
    po.append(polib.POEntry(msgid="May", msgctxt="month name", msgstr="五月"))
    po.append(polib.POEntry(msgid="Draft", msgstr="草稿", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    po.append(polib.POEntry(msgid="Old", msgstr="舊", obsolete=True))
    po.append(
        polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: "%(n)s 天"})
    )
    po_save(po, tmp_path, "zh_Hant")

    assert catalog_compile(tmp_path, "zh_Hant") == (3, 2)

    with po_path(tmp_path, "zh_Hant").with_suffix(".mo").open("rb") as stream:
        catalog = gettext.GNUTranslations(stream)
    assert catalog.gettext("Order") == "訂單"
    assert catalog.pgettext("month name", "May") == "五月"
    assert catalog.gettext("Draft") == "Draft"
    assert catalog.gettext("Empty") == "Empty"
    assert catalog.gettext("Old") == "Old"
    assert catalog.ngettext("%(n)s day", "%(n)s days", 5) == "%(n)s 天"
    assert catalog.info()["language"] == "zh_Hant"


def test_placeholders_ignore_escapes():
    assert placeholders("%(name)s paid 100%% of {total} {{x}} %s") == {
        "%(name)s": 1,
        "{total}": 1,
        "%s": 1,
    }


def _source(tmp_path, code):
    source_dir = tmp_path / "salesdesk"
    source_dir.mkdir()
    (source_dir / "views.py").write_text(code)
    return source_dir, tmp_path / "locale"


def test_check_reports_missing_fuzzy_and_mismatched_placeholders(tmp_path):
    source_dir, locale_dir = _source(
        tmp_path, '_("Order")\n_("Hello %(name)s")\n_("Draft")\n_("Missing")\n_("Bye {name}")\n'
    )
    catalog_extract(source_dir, locale_dir)
    translations = {
        "Order": "訂單",
        "Hello %(name)s": "你好 %(nam)s",
        "Draft": "草稿",
        "Bye {name}": "再見",
    }
    for language in ("zh_Hant", "zh_Hans"):
        po = po_load(locale_dir, language)
        for entry in po:
            entry.msgstr = translations.get(entry.msgid, "")
            if entry.msgid == "Draft":
                entry.flags.append("fuzzy")
        po_save(po, locale_dir, language)
    (source_dir / "views.py").write_text((source_dir / "views.py").read_text() + '_("New")\n')

    problems = catalog_problems(source_dir, locale_dir)

    assert problems == [
        f"{language}: {problem}: {msgid!r} (salesdesk/views.py:{line})"
        for language in ("zh_Hant", "zh_Hans", "en")
        for problem, msgid, line in (
            ("placeholders differ", "Bye {name}", 5),
            ("fuzzy", "Draft", 3),
            ("placeholders differ", "Hello %(name)s", 2),
            ("untranslated", "Missing", 4),
            ("not in the catalog", "New", 6),
        )
        if language != "en" or problem == "not in the catalog"
    ]


def test_check_accepts_translated_catalogs_and_empty_english(tmp_path):
    source_dir, locale_dir = _source(
        tmp_path, 'pgettext("menu", "Open")\nngettext("%(n)s day", "%(n)s days", 2)\n'
    )
    catalog_extract(source_dir, locale_dir)
    for language in ("zh_Hant", "zh_Hans"):
        po = po_load(locale_dir, language)
        po[0].msgstr_plural = {0: "%(n)s 天"}
        po[1].msgstr = "開啟"
        po_save(po, locale_dir, language)

    assert catalog_problems(source_dir, locale_dir) == []


def test_messages_command_runs_all_steps_and_check_fails_with_the_list(tmp_path, monkeypatch):
    source_dir, locale_dir = _source(tmp_path, '_("Sign in")\n_("Sign out")\n')
    monkeypatch.setattr(i18n_catalog, "PACKAGE_DIR", source_dir)
    monkeypatch.setattr(i18n_catalog, "LOCALE_DIR", locale_dir)
    call_command("messages", "--extract", verbosity=0)
    po = po_load(locale_dir, "zh_Hant")
    for entry in po:
        entry.msgstr = {"Sign in": "登入", "Sign out": "登出"}[entry.msgid]
    po_save(po, locale_dir, "zh_Hant")

    call_command("messages", verbosity=0)

    hans = {entry.msgid: entry.msgstr for entry in po_load(locale_dir, "zh_Hans")}
    assert hans == {"Sign in": "登录", "Sign out": "退出"}
    for language in ("zh_Hant", "zh_Hans", "en"):
        assert po_path(locale_dir, language).with_suffix(".mo").exists()
    call_command("messages", "--check", verbosity=0)
    assert catalog_fill_hans(locale_dir) == 0

    (source_dir / "views.py").write_text('_("Sign in")\n_("Customer")\n')
    with pytest.raises(CommandError, match=r"not in the catalog: 'Customer'") as error:
        call_command("messages", "--check", verbosity=0)
    assert str(error.value).count("\n") == 3
