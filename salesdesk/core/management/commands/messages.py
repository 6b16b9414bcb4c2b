"""`salesdesk messages`: extract, fill zh_Hans, compile and check the catalogs (U10)."""

from django.core.management.base import BaseCommand, CommandError

from salesdesk.core import i18n_catalog
from salesdesk.core.i18n_extract import ExtractionError


class Command(BaseCommand):
    help = (
        "Maintain the translation catalogs without system gettext. "
        "No option means --extract --fill-hans --compile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--extract", action="store_true", help="Merge the code's msgids into the .po files."
        )
        parser.add_argument(
            "--fill-hans",
            action="store_true",
            help="Fill empty zh_Hans msgstrs from zh_Hant with OpenCC and the glossary.",
        )
        parser.add_argument("--compile", action="store_true", help="Write the .mo files.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail listing every msgid missing from the catalogs or a Chinese translation.",
        )

    def handle(self, *args, **options):
        steps = [name for name in ("extract", "fill_hans", "compile", "check") if options[name]]
        steps = steps or ["extract", "fill_hans", "compile"]
        verbosity = options["verbosity"]
        source_dir, locale_dir = i18n_catalog.PACKAGE_DIR, i18n_catalog.LOCALE_DIR
        try:
            if "extract" in steps:
                for language, (count, written) in i18n_catalog.catalog_extract(
                    source_dir, locale_dir
                ).items():
                    state = "updated" if written else "unchanged"
                    self._say(verbosity, 1, f"{language}: {count} msgids, {state}")
            if "fill_hans" in steps:
                filled = i18n_catalog.catalog_fill_hans(locale_dir)
                self._say(verbosity, 1, f"zh_Hans: {filled} msgstrs filled from zh_Hant")
            if "compile" in steps:
                for language in i18n_catalog.LANGUAGES:
                    compiled, left_out = i18n_catalog.catalog_compile(locale_dir, language)
                    self._say(verbosity, 2, f"{language}: {compiled} compiled, {left_out} left out")
            if "check" in steps:
                i18n_catalog.catalog_check(source_dir, locale_dir)
                self._say(verbosity, 1, "All msgids are translated.")
        except ExtractionError as exc:
            raise CommandError(str(exc)) from exc
        except i18n_catalog.CatalogProblems as exc:
            raise CommandError(
                f"{len(exc.problems)} translation problem(s); fix the .po files or run "
                f"`salesdesk messages`:\n" + "\n".join(exc.problems)
            ) from exc

    def _say(self, verbosity: int, level: int, text: str) -> None:
        if verbosity >= level:
            self.stdout.write(text)
