"""Find translatable strings in Python code and Django templates, as makemessages would (U10).

Python files are read with `ast`; templates are split with Django's own template lexer and
each tag is matched with regexes, so a msgid is exactly the string Django looks up at run time
(`%` doubled in template text, `{{ name }}` as `%(name)s`, `trimmed` collapsing whitespace).
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template.base import Lexer, TokenType
from django.utils.translation import trim_whitespace

SKIPPED_DIRS = {"migrations", "tests", "testing", "locale", "static", "__pycache__"}
TEMPLATE_SUFFIXES = {".html", ".txt"}

# name -> (msgid position, plural position, context position)
GETTEXT_FUNCTIONS = {
    "_": (0, None, None),
    "gettext": (0, None, None),
    "gettext_lazy": (0, None, None),
    "gettext_noop": (0, None, None),
    "pgettext": (1, None, 0),
    "pgettext_lazy": (1, None, 0),
    "ngettext": (0, 1, None),
    "ngettext_lazy": (0, 1, None),
    "npgettext": (1, 2, 0),
    "npgettext_lazy": (1, 2, 0),
}

_QUOTED = r"""(?:"[^"]*"|'[^']*')"""
_TRANSLATE_RE = re.compile(rf"^\s*trans(?:late)?\s+({_QUOTED})(.*)$", re.DOTALL)
_BLOCK_RE = re.compile(r"^\s*blocktrans(?:late)?(?:\s|$)")
_END_BLOCK_RE = re.compile(r"^\s*endblocktrans(?:late)?\s*$")
_PLURAL_RE = re.compile(r"^\s*plural\s*$")
_CONTEXT_RE = re.compile(rf"\scontext\s+({_QUOTED})")
_CONSTANT_RE = re.compile(r"""_\(((?:".*?")|(?:'.*?'))\)""")
_FORMAT_RE = re.compile(r"%(?:\(\w+\))?[#0+\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


class ExtractionError(ValueError):
    """A source file that cannot be read for strings (bad syntax or a malformed block)."""


@dataclass
class Message:
    """One translatable string with where it is used."""

    msgid: str
    context: str | None = None
    plural: str | None = None
    occurrences: set[tuple[str, int]] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def python_format(self) -> bool:
        return bool(_FORMAT_RE.search(self.msgid + (self.plural or "")))


Messages = dict[tuple[str | None, str], Message]


def messages_extract(source_dir: Path) -> Messages:
    """Every msgid under `source_dir`, skipping migrations, tests and test helpers (U10)."""
    source_dir = Path(source_dir)
    root = source_dir.parent
    messages: Messages = {}
    for path in sorted(source_dir.rglob("*")):
        relative = path.relative_to(source_dir)
        if not path.is_file() or SKIPPED_DIRS.intersection(relative.parts[:-1]):
            continue
        if path.suffix == ".py":
            found = python_messages(path.read_text(encoding="utf-8"), str(path))
        elif path.suffix in TEMPLATE_SUFFIXES:
            found = template_messages(path.read_text(encoding="utf-8"), str(path))
        else:
            continue
        location = path.relative_to(root).as_posix()
        for message, line in found:
            _add(messages, message, location, line)
    return messages


def _add(messages: Messages, message: Message, location: str, line: int) -> None:
    known = messages.setdefault(message.key, message)
    if message.plural and not known.plural:
        known.plural = message.plural
    known.occurrences.add((location, line))


def python_messages(source: str, filename: str = "<source>") -> list[tuple[Message, int]]:
    """(message, line) for each gettext-family call with literal string arguments."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise ExtractionError(f"{filename}: {exc}") from exc
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        msgid_at, plural_at, context_at = GETTEXT_FUNCTIONS[name]
        msgid = _literal(node.args, msgid_at)
        if not msgid:
            continue
        plural = _literal(node.args, plural_at)
        context = _literal(node.args, context_at)
        if (plural_at is not None and plural is None) or (context_at is not None and not context):
            continue
        found.append((Message(msgid, context=context, plural=plural), node.lineno))
    return found


def _literal(args: list[ast.expr], position: int | None) -> str | None:
    if position is None or position >= len(args):
        return None
    arg = args[position]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    return None


def template_messages(source: str, filename: str = "<template>") -> list[tuple[Message, int]]:
    """(message, line) for each translate/blocktranslate tag and `_("…")` constant."""
    found: list[tuple[Message, int]] = []
    block: _Block | None = None
    in_comment = False
    for token in Lexer(source).tokenize():
        if in_comment:
            in_comment = not (
                token.token_type == TokenType.BLOCK and token.contents == "endcomment"
            )
        elif block is not None:
            if block.feed(token, filename):
                found.append((block.message(), block.line))
                block = None
        elif token.token_type == TokenType.BLOCK:
            if token.contents.split(None, 1)[:1] == ["comment"]:
                in_comment = True
            elif match := _TRANSLATE_RE.match(token.contents):
                msgid = _unquote(match[1]).replace("%", "%%")
                context = _context(match[2])
                found.append((Message(msgid, context=context), token.lineno))
            elif _BLOCK_RE.match(token.contents):
                found.extend(_constants(token.contents, token.lineno))
                block = _Block(token)
            else:
                found.extend(_constants(token.contents, token.lineno))
        elif token.token_type == TokenType.VAR:
            found.extend(_constants(token.contents, token.lineno))
    if block is not None:
        raise ExtractionError(f"{filename}:{block.line}: blocktranslate is not closed")
    return found


class _Block:
    """The text of one {% blocktranslate %} … {% endblocktranslate %} as Django renders it."""

    def __init__(self, token) -> None:
        self.line = token.lineno
        self.context = _context(token.contents)
        self.trimmed = "trimmed" in token.split_contents()
        self.singular: list[str] = []
        self.plural: list[str] | None = None

    def feed(self, token, filename: str) -> bool:
        """Take one token; True once the block is closed."""
        parts = self.singular if self.plural is None else self.plural
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents.replace("%", "%%"))
        elif token.token_type == TokenType.VAR:
            parts.append(f"%({token.contents})s")
        elif token.token_type == TokenType.BLOCK:
            if _END_BLOCK_RE.match(token.contents):
                return True
            if not _PLURAL_RE.match(token.contents) or self.plural is not None:
                raise ExtractionError(
                    f"{filename}:{token.lineno}: blocktranslate may not contain "
                    f"{{% {token.contents} %}}"
                )
            self.plural = []
        return False

    def message(self) -> Message:
        plural = None if self.plural is None else self._join(self.plural)
        return Message(self._join(self.singular), context=self.context, plural=plural)

    def _join(self, parts: list[str]) -> str:
        text = "".join(parts)
        return trim_whitespace(text) if self.trimmed else text


def _unquote(quoted: str) -> str:
    return quoted[1:-1]


def _context(rest: str) -> str | None:
    match = _CONTEXT_RE.search(" " + rest)
    return _unquote(match[1]) if match else None


def _constants(contents: str, line: int) -> list[tuple[Message, int]]:
    return [(Message(_unquote(text)), line) for text in _CONSTANT_RE.findall(contents)]
