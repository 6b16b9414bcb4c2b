"""Translation catalogs built with polib and OpenCC, no system gettext needed (U10).

`salesdesk messages` extracts msgids (see i18n_extract), merges them into one .po file per
language, fills empty zh_Hans entries from zh_Hant, compiles .mo files and checks that every
msgid in the code has a zh_Hant and a zh_Hans translation with the same placeholders.
"""

import functools
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import polib

from salesdesk.core.i18n_extract import Message, Messages, messages_extract

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"

# Catalog directory name -> Plural-Forms. English msgstrs stay empty: the source text is English.
LANGUAGES = {
    "zh_Hant": "nplurals=1; plural=0;",
    "zh_Hans": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}
REQUIRED = ("zh_Hant", "zh_Hans")

# Taiwan wording that OpenCC's tw2sp leaves Taiwan-style or turns into the wrong mainland word
# for a sales-administration screen. Keys are Traditional (the zh_Hant text), values are what a
# mainland user expects. Entries mapping a word to its plain simplified form stop OpenCC from
# applying a phrase rule that does not fit here (執行→运行, 查詢→查找, 核心→内核, 序列→串行).
HANS_GLOSSARY = {
    "帳號": "账号",
    "帳戶": "账户",
    "帳款": "账款",
    "帳單": "账单",
    "帳務": "账务",
    "帳期": "账期",
    "帳齡": "账龄",
    "對帳": "对账",
    "入帳": "入账",
    "沖帳": "冲账",
    "呆帳": "坏账",
    "預設": "默认",
    "登出": "退出",
    "紀錄": "记录",
    "稽核": "审计",
    "簽核": "审批",
    "合約": "合同",
    "範本": "模板",
    "權杖": "令牌",
    "信箱": "邮箱",
    "重設": "重置",
    "出貨": "发货",
    "品質": "质量",
    "啟用": "启用",
    "客戶資料": "客户资料",
    "個人資料": "个人信息",
    "聯絡資料": "联系信息",
    "基本資料": "基本信息",
    "錯誤訊息": "错误信息",
    "行動電話": "手机",
    "筆資料": "条记录",
    "管理階層": "管理层",
    "串接": "对接",
    "寄件匣": "发件箱",
    "寄送": "发送",
    "寄出": "发出",
    "寄給": "发给",
    "外寄": "外发",
    "重送": "重发",
    "主旨": "主题",
    "複製": "复制",
    "排入佇列": "加入队列",
    "送貨地址": "收货地址",
    "營業項目": "经营范围",
    "產業": "行业",
    "職稱": "职位",
    "郵遞區號": "邮政编码",
    "登記地址": "注册地址",
    "登記電話": "注册电话",
    "核准": "批准",
    "曝險": "敞口",
    "未稅": "不含税",
    "異動": "变动",
    "信用狀": "信用证",
    "保證函": "保函",
    "管道": "渠道",
    "幣別": "币种",
    "活頁簿": "工作簿",
    "試跑": "试运行",
    "草擬": "起草",
    "擬稿人": "起草人",
    "電子簽章": "电子签名",
    "掃描檔": "扫描件",
    "範例": "示例",
    "身分": "身份",
    "「": "“",
    "」": "”",
    "『": "‘",
    "』": "’",
    "執行": "执行",
    "查詢": "查询",
    "核心": "核心",
    "序列": "序列",
}
_GLOSSARY_RE = re.compile("|".join(sorted(map(re.escape, HANS_GLOSSARY), key=len, reverse=True)))

_PRINTF_RE = re.compile(r"%%|%(?:\(\w+\))?[#0+\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")
_BRACE_RE = re.compile(r"\{\{|\}\}|\{\w*(?:[!:][^{}]*)?\}")


class CatalogProblems(Exception):
    """Raised by `catalog_check` with one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def po_path(locale_dir: Path, language: str) -> Path:
    return Path(locale_dir) / language / "LC_MESSAGES" / "django.po"


def po_load(locale_dir: Path, language: str) -> polib.POFile:
    path = po_path(locale_dir, language)
    po = polib.pofile(str(path), wrapwidth=79) if path.exists() else polib.POFile(wrapwidth=79)
    po.header = f"salesdesk messages ({language}). Update with `salesdesk messages`."
    po.metadata = {
        **po.metadata,
        "Project-Id-Version": "salesdesk",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": LANGUAGES[language],
    }
    return po


def po_save(po: polib.POFile, locale_dir: Path, language: str) -> bool:
    """Write the catalog if its text changed; True when written."""
    path = po_path(locale_dir, language)
    text = str(po)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, text.encode("utf-8"))
    return True


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace the file in one step, so a reader never sees half a catalog; mode 0644."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _nplurals(language: str) -> int:
    return int(re.search(r"nplurals=(\d+)", LANGUAGES[language])[1])


def _sort_key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgid, entry.msgctxt or "")


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def catalog_merge(po: polib.POFile, messages: Messages, language: str) -> polib.POFile:
    """Add new msgids, keep translations, mark the ones gone from the code obsolete (U10)."""
    existing = {_key(entry): entry for entry in po}
    merged = polib.POFile(wrapwidth=po.wrapwidth)
    merged.header, merged.metadata = po.header, po.metadata
    for key, message in messages.items():
        entry = existing.pop(key, None) or polib.POEntry(msgid=message.msgid)
        _entry_update(entry, message, _nplurals(language))
        merged.append(entry)
    for entry in existing.values():
        entry.obsolete = True
        entry.occurrences = []
        merged.append(entry)
    merged.sort(key=_sort_key)
    return merged


def _entry_update(entry: polib.POEntry, message: Message, nplurals: int) -> None:
    entry.obsolete = False
    entry.msgctxt = message.context
    entry.occurrences = [(path, str(line)) for path, line in sorted(message.occurrences)]
    flags = [flag for flag in entry.flags if flag != "python-format"]
    entry.flags = [*flags, "python-format"] if message.python_format else flags
    if message.plural:
        if not entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgstr}
            entry.msgstr = ""
        entry.msgid_plural = message.plural
        forms = entry.msgstr_plural
        entry.msgstr_plural = {index: forms.get(index, "") for index in range(nplurals)}
    elif entry.msgid_plural:
        entry.msgstr = entry.msgstr_plural.get(0, "")
        entry.msgid_plural = ""
        entry.msgstr_plural = {}


@functools.cache
def _opencc():
    import opencc

    config = "tw2sp" if "tw2sp.json" in opencc.CONFIGS else "t2s"
    return opencc.OpenCC(config)


def hans_convert(text: str) -> str:
    """Taiwan Traditional to mainland Simplified: OpenCC, then the project glossary (U10)."""
    converter = _opencc()
    parts, start = [], 0
    for match in _GLOSSARY_RE.finditer(text):
        parts.append(converter.convert(text[start : match.start()]))
        parts.append(HANS_GLOSSARY[match[0]])
        start = match.end()
    parts.append(converter.convert(text[start:]))
    return "".join(parts)


def hans_fill(hant: polib.POFile, hans: polib.POFile) -> int:
    """Fill empty zh_Hans msgstrs from translated zh_Hant ones; never overwrite (U10)."""
    sources = {_key(entry): entry for entry in hant if entry.translated()}
    filled = 0
    for entry in hans:
        source = sources.get(_key(entry))
        if entry.obsolete or source is None:
            continue
        if entry.msgid_plural and source.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                if not text:
                    origin = source.msgstr_plural.get(index) or source.msgstr_plural[0]
                    entry.msgstr_plural[index] = hans_convert(origin)
                    filled += 1
        elif not entry.msgid_plural and not source.msgid_plural and not entry.msgstr:
            entry.msgstr = hans_convert(source.msgstr)
            filled += 1
    return filled


def catalog_compile(locale_dir: Path, language: str) -> tuple[int, int]:
    """Write the .mo next to the .po: translated, non-fuzzy entries only (U10).

    Returns (compiled, left out). Entries left out fall back to the English source text.
    """
    po = po_load(locale_dir, language)
    compiled = polib.POFile()
    compiled.metadata = po.metadata
    left_out = 0
    for entry in po:
        if entry.obsolete:
            continue
        if entry.translated():
            compiled.append(entry)
        else:
            left_out += 1
    path = po_path(locale_dir, language).with_suffix(".mo")
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, compiled.to_binary())
    return len(compiled), left_out


def placeholders(text: str) -> Counter:
    """The %-style and {}-style placeholders in a string, `%%`, `{{` and `}}` excluded."""
    found = Counter(_PRINTF_RE.findall(text)) + Counter(_BRACE_RE.findall(text))
    for escaped in ("%%", "{{", "}}"):
        found.pop(escaped, None)
    return found


def placeholder_mismatch(entry: polib.POEntry) -> bool:
    """True when a msgstr uses other placeholders than its msgid (a crash at run time)."""
    if not entry.msgid_plural:
        return bool(entry.msgstr) and placeholders(entry.msgstr) != placeholders(entry.msgid)
    allowed = (placeholders(entry.msgid), placeholders(entry.msgid_plural))
    return any(text and placeholders(text) not in allowed for text in entry.msgstr_plural.values())


def catalog_problems(source_dir: Path, locale_dir: Path) -> list[str]:
    """Every msgid in the code that lacks a usable zh_Hant/zh_Hans translation (U10)."""
    messages = messages_extract(source_dir)
    problems = []
    for language in LANGUAGES:
        entries = {_key(e): e for e in po_load(locale_dir, language) if not e.obsolete}
        for key in sorted(messages, key=lambda k: (k[1], k[0] or "")):
            entry = entries.get(key)
            if entry is None or entry.msgid_plural != (messages[key].plural or ""):
                problem = "not in the catalog"
            elif language in REQUIRED and "fuzzy" in entry.flags:
                problem = "fuzzy"
            elif language in REQUIRED and not entry.translated():
                problem = "untranslated"
            elif placeholder_mismatch(entry):
                problem = "placeholders differ"
            else:
                continue
            problems.append(f"{language}: {problem}: {_describe(messages[key])}")
    return problems


def _describe(message: Message) -> str:
    where = ":".join(map(str, min(message.occurrences))) if message.occurrences else "?"
    context = f" [context {message.context!r}]" if message.context else ""
    return f"{message.msgid!r}{context} ({where})"


def catalog_extract(source_dir: Path, locale_dir: Path) -> dict[str, tuple[int, bool]]:
    """Merge the code's msgids into every catalog; per language (entries, written)."""
    messages = messages_extract(source_dir)
    result = {}
    for language in LANGUAGES:
        merged = catalog_merge(po_load(locale_dir, language), messages, language)
        result[language] = (
            len([e for e in merged if not e.obsolete]),
            po_save(merged, locale_dir, language),
        )
    return result


def catalog_fill_hans(locale_dir: Path) -> int:
    """Run `hans_fill` on the catalogs on disk; the number of msgstrs filled."""
    hans = po_load(locale_dir, "zh_Hans")
    filled = hans_fill(po_load(locale_dir, "zh_Hant"), hans)
    if filled:
        po_save(hans, locale_dir, "zh_Hans")
    return filled


def catalog_check(source_dir: Path, locale_dir: Path) -> None:
    """Raise CatalogProblems listing every missing or broken translation (U10)."""
    problems = catalog_problems(source_dir, locale_dir)
    if problems:
        raise CatalogProblems(problems)
