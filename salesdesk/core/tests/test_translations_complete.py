"""The project gate: every string in the code has a zh_Hant and a zh_Hans translation (U10)."""

from salesdesk.core.i18n_catalog import LOCALE_DIR, PACKAGE_DIR, catalog_problems


def test_every_msgid_is_translated_into_both_chinese_variants():
    problems = catalog_problems(PACKAGE_DIR, LOCALE_DIR)

    assert problems == [], (
        f"{len(problems)} translation problem(s). Run `salesdesk messages`, translate the "
        "zh_Hant entries, run `salesdesk messages --fill-hans` and review zh_Hans "
        "(see docs/translations.md):\n" + "\n".join(problems)
    )
