"""The English catalogue (docs/i18n.md): complete, current, compiled, and the chrome of every area in English.

The interface is Chinese first; src/aftersales/locale/en/LC_MESSAGES/django.po holds the English. A fuzzy or
empty entry is silently ignored by Django (the Chinese shows through), so the catalogue must have none; a
string added to a template or to the code without `make messages` would likewise show in Chinese.
"""

import ast
import gettext
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse

import aftersales

PACKAGE = Path(aftersales.__file__).resolve().parent
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
AREAS = [
    "appraisal",
    "interviews",
    "organisation",
    "service",
    "parts",
    "repair",
    "discipline",
    "results",
    "payroll",
    "evidence",
]
# CJK ideographs, CJK punctuation (、。「」【】) and full-width forms (：，（）).
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


# --- a minimal .po reader (polib is not a dependency) -------------------------------------------------
def read_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (list), obsolete."""
    entries: list[dict] = []
    entry: dict | None = None
    field = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            entry = None
            continue
        if entry is None:
            entry = {"flags": [], "msgctxt": None, "msgid_plural": None, "msgstr": [], "obsolete": False}
            entries.append(entry)
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            pass
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, value = line.split(" ", 1)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or match:
                entry["msgstr"].append(ast.literal_eval(value))
                field = len(entry["msgstr"]) - 1
            else:
                entry[keyword] = ast.literal_eval(value)
                field = keyword
    return [e for e in entries if "msgid" in e and e["msgid"] and not e["obsolete"]]


def key(entry: dict) -> str:
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if entry["msgctxt"] is not None else entry["msgid"]


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = read_po(CATALOGUE)
    assert len(entries) > 100
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not e["msgstr"] or not all(s.strip() for s in e["msgstr"])]
    still_chinese = [e["msgid"] for e in entries if any(CJK.search(s) for s in e["msgstr"])]
    assert not fuzzy, f"fuzzy entries (Django ignores them) — check and remove the flag: {fuzzy}"
    assert not empty, f"untranslated entries — translate them in {CATALOGUE}: {empty}"
    # The roster import help names the workbook's Chinese sheet names on purpose.
    still_chinese = [m for m in still_chinese if "xlsx" not in m]
    assert not still_chinese, f"translations that are still Chinese: {still_chinese}"


def test_compiled_catalogue_matches_the_po_file():
    with COMPILED.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(CATALOGUE):
        if entry["msgid_plural"] is None:
            if compiled.gettext(key(entry)) != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        elif compiled.ngettext(key(entry), entry["msgid_plural"], 2) != entry["msgstr"][1]:
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is older than django.po — run `make messages`: {stale[:10]}"


def test_catalogue_is_current(tmp_path, monkeypatch):
    """Every string of the source is in the catalogue (extracted from a copy, so the tree is not touched)."""
    copy = tmp_path / "aftersales"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("static", "migrations", "locale", "__pycache__", "var", "*.pyc"),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages", locale=["en"], ignore_patterns=["static", "migrations", "*/locale"], verbosity=0
        )
    extracted = {key(e) for e in read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    assert len(extracted) > 100
    missing = sorted(extracted - {key(e) for e in read_po(CATALOGUE)})
    assert not missing, f"missing from the English catalogue — run `make messages` and translate: {missing}"


# --- the chrome of every area in English --------------------------------------------------------------
class ChromeText(HTMLParser):
    """The text inside <nav> and <h1> elements, skipping the language switch (it names 中文 on purpose)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, inside chrome, skipped)
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        chrome = bool(self.stack and self.stack[-1][1]) or tag in {"nav", "h1"}
        skipped = bool(self.stack and self.stack[-1][2]) or dict(attrs).get("id") == "lang-switch"
        self.stack.append((tag, chrome, skipped))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][2] and data.strip():
            self.texts.append(data.strip())


def chrome_text(html: str, user) -> str:
    parser = ChromeText()
    parser.feed(html)
    text = " | ".join(parser.texts)
    # The signed-in user's name is data, not chrome.
    for name in {user.get_full_name(), user.get_username()} - {""}:
        text = text.replace(name, "")
    return text


def area_pages() -> list[str]:
    """The home page and the index page of every area that exists (areas are still being added)."""
    pages = ["web:home"]
    for area in AREAS:
        try:
            reverse(f"{area}:index")
        except NoReverseMatch:
            continue
        pages.append(f"{area}:index")
    return pages


@pytest.mark.django_db
def test_every_area_reads_in_english(client):
    user = get_user_model().objects.get(username="hr")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = area_pages()
    assert len(pages) > 5
    chinese = {}
    for url_name in pages:
        response = client.get(reverse(url_name))
        assert response.status_code == 200, url_name
        assert '<html lang="en">' in response.content.decode(), url_name
        text = chrome_text(response.content.decode(), user)
        assert text, f"{url_name}: no <nav>/<h1> text"
        if CJK.search(text):
            chinese[url_name] = text
    assert not chinese, f"Chinese in the <nav>/<h1> of pages in English: {chinese}"
