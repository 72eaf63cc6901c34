"""VC2: the interface is available in Welsh. Every string marked for translation in tarian/
(Python and templates) has a Welsh translation in the committed catalogue: not missing, not
empty, not fuzzy, with the placeholders of the English; and the compiled catalogue is the
committed one.

The strings are extracted the way ``make messages`` extracts them (Django's makemessages,
which runs GNU gettext's xgettext), from a copy of tarian/'s sources in a temporary folder:
makemessages writes a work file beside each template it reads, and the working tree must not
change. When this fails, run ``make messages``, translate what it lists, and commit the .po and
the .mo.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

import tarian

PACKAGE = Path(tarian.__file__).resolve().parent
MESSAGES = PACKAGE / "locale" / "cy" / "LC_MESSAGES"
CATALOGUE = MESSAGES / "django.po"
COMPILED = MESSAGES / "django.mo"
# makemessages' own extensions (it is run without -e): what it reads in tarian/.
SOURCES = (".py", ".html", ".txt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sd]|\{\w*\}")


def _require_gettext() -> None:
    missing = [
        tool for tool in ("xgettext", "msgmerge", "msguniq", "msgfmt") if not shutil.which(tool)
    ]
    if missing:
        reason = f"GNU gettext is not installed ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass
class Entry:
    context: str = ""
    msgid: str | None = None
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str]:
        assert self.msgid is not None
        return (self.context, self.msgid)

    def shown(self) -> str:
        context = f"[{self.context}] " if self.context else ""
        return f"{context}{self.msgid!r}"


def _entries(text: str) -> Iterator[Entry]:
    """The live entries of a .po or .pot file (obsolete ``#~`` ones are left out)."""
    entry, target = Entry(), None

    def finished() -> Iterator[Entry]:
        if entry.msgid:
            yield entry

    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("#,"):
            if entry.msgid is not None and target is not None and target[0] == "msgstr":
                yield from finished()
                entry, target = Entry(), None
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#~"):
            if target is not None and target[0] == "msgstr":
                yield from finished()
            entry, target = Entry(), None
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                yield from finished()
                entry = Entry()
            if keyword == "msgctxt":
                target = ("msgctxt", 0)
                entry.context = ""
            elif keyword == "msgid":
                target = ("msgid", 0)
                entry.msgid = ""
            elif keyword == "msgid_plural":
                target = ("msgid_plural", 0)
                entry.plural = ""
            elif keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                target = ("msgstr", index)
                entry.msgstr[index] = ""
            else:
                raise AssertionError(f"unexpected line in a catalogue: {line!r}")
        assert target is not None, line
        name, index = target
        if name == "msgctxt":
            entry.context += value
        elif name == "msgid":
            entry.msgid = (entry.msgid or "") + value
        elif name == "msgid_plural":
            entry.plural = (entry.plural or "") + value
        else:
            entry.msgstr[index] += value
    yield from finished()


def _plural_forms(text: str) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", text)
    assert found, "the Welsh catalogue's header has no Plural-Forms"
    return int(found.group(1))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Entry]:
    """Every string marked for translation in tarian/, as ``make messages`` extracts it."""
    _require_gettext()
    work = tmp_path_factory.mktemp("welsh-catalogue")
    copy = work / "source"
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(PACKAGE)
        if (
            path.suffix in SOURCES
            and path.is_file()
            and not {"locale", "__pycache__"} & set(relative.parts)
        ):
            target = copy / "tarian" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    locale = work / "locale"
    with pytest.MonkeyPatch.context() as patch, override_settings(LOCALE_PATHS=[str(locale)]):
        patch.chdir(copy)
        call_command("makemessages", locale=["cy"], keep_pot=True, verbosity=0)
    text = (locale / "django.pot").read_text(encoding="utf-8")
    found = {entry.key: entry for entry in _entries(text)}
    assert len(found) > 1000, f"only {len(found)} strings extracted from {copy}"
    return found


def test_vc2_every_string_marked_for_translation_has_a_welsh_translation(
    extracted: dict[tuple[str, str], Entry],
) -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    forms = _plural_forms(text)
    welsh = {entry.key: entry for entry in _entries(text)}
    missing, fuzzy, incomplete = [], [], []
    for key, english in extracted.items():
        entry = welsh.get(key)
        if entry is None or not any(entry.msgstr.values()):
            missing.append(english.shown())
        elif "fuzzy" in entry.flags:
            fuzzy.append(english.shown())
        elif english.plural is not None and (
            sorted(entry.msgstr) != list(range(forms)) or not all(entry.msgstr.values())
        ):
            incomplete.append(f"{english.shown()} (needs {forms} plural forms)")
        elif english.plural is None and not entry.msgstr.get(0):
            missing.append(english.shown())
    problems = [
        *(f"no Welsh: {shown}" for shown in missing),
        *(f"fuzzy (check it, then remove the flag): {shown}" for shown in fuzzy),
        *(f"plural forms missing: {shown}" for shown in incomplete),
    ]
    assert not problems, (
        f"{len(problems)} string(s) marked for translation in tarian/ have no Welsh in "
        f"{CATALOGUE.relative_to(PACKAGE.parent)}; run `make messages` and translate them:\n"
        + "\n".join(problems)
    )


def test_vc2_welsh_translations_keep_the_placeholders_of_the_english(
    extracted: dict[tuple[str, str], Entry],
) -> None:
    """A placeholder the Welsh adds raises at run time; one it drops loses a name or a date."""
    welsh = {entry.key: entry for entry in _entries(CATALOGUE.read_text(encoding="utf-8"))}
    wrong = []
    for key, english in extracted.items():
        entry = welsh.get(key)
        if entry is None or not ({"python-format", "python-brace-format"} & english.flags):
            continue
        wanted = set(PLACEHOLDER.findall(english.msgid or "")) | set(
            PLACEHOLDER.findall(english.plural or "")
        )
        for index, translation in entry.msgstr.items():
            found = set(PLACEHOLDER.findall(translation))
            unknown = found - wanted
            # A plural's singular form may say "one" in words instead of the count.
            lost = set() if english.plural is not None else wanted - found
            if translation and (unknown or lost):
                wrong.append(
                    f"{english.shown()} msgstr[{index}]: "
                    f"added {sorted(unknown)}, dropped {sorted(lost)}"
                )
    assert not wrong, (
        "Welsh translations whose placeholders differ from the English:\n" + "\n".join(wrong)
    )


def test_vc2_the_compiled_welsh_catalogue_is_the_committed_one(tmp_path: Path) -> None:
    """The .mo Django reads is compiled from the .po as committed (``make messages`` does it)."""
    _require_gettext()
    fresh = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None
    compiled = subprocess.run(  # noqa: S603 (gettext's msgfmt on the committed catalogue)
        [msgfmt, "--check-format", "-o", str(fresh), str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stderr
    with fresh.open("rb") as ours, COMPILED.open("rb") as committed:
        expected = gettext.GNUTranslations(ours)._catalog  # type: ignore[attr-defined]
        actual = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
    stale = sorted(str(key) for key in expected.keys() ^ actual.keys()) + sorted(
        str(key) for key in expected.keys() & actual.keys() if expected[key] != actual[key]
    )
    assert not stale, (
        f"{COMPILED.name} is not compiled from {CATALOGUE.name}: run `make messages` "
        f"(compilemessages). Differing: {stale[:20]}"
    )
