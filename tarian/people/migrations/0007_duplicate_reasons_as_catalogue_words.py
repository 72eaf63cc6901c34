"""The matcher's reasons on pairs of possible duplicates, kept as the catalogue's words and
their values instead of English sentences, so that each reader reads them in their own language
(#20 item 11). Reasons that are not the matcher's (written by hand) are left as they are;
going back writes every reason out in English again."""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

# The matcher's reasons for a pair of records (``tarian.people.matching.compare``), as they
# were when this migration was written.
REASONS = (
    "given name the same: %(found)s",
    "given name an equivalent form: %(query)s/%(found)s",
    "given name similar: %(query)s/%(found)s",
    "given name sounds the same: %(query)s/%(found)s",
    "given name differs: %(query)s/%(found)s",
    "given name is a middle name: %(found)s",
    "surname the same: %(found)s",
    "surname shares a part: %(query)s/%(found)s",
    "surname an equivalent form: %(query)s/%(found)s",
    "surname similar: %(query)s/%(found)s",
    "surname sounds the same: %(query)s/%(found)s",
    "surname differs: %(query)s/%(found)s",
    "date of birth the same",
    "date of birth with day and month swapped",
    "date of birth one day apart",
    "date of birth one digit different",
    "date of birth within a month",
    "date of birth differs",
    "same postcode",
    "lived at this postcode before",
    "same postcode sector",
    "same postcode district",
    "postcode differs",
    "same NHS number",
    "NHS number differs",
)


def _pattern(text: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", text)
    regex = "".join(
        f"(?P<{part}>.+?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


PATTERNS = [(text, _pattern(text)) for text in REASONS]


def as_words(reason: Any) -> Any:
    if not isinstance(reason, str):
        return reason
    for text, pattern in PATTERNS:
        found = pattern.match(reason)
        if found:
            args = found.groupdict()
            return {"text": text, "args": args} if args else {"text": text}
    return reason


def as_english(reason: Any) -> Any:
    if not isinstance(reason, dict):
        return reason
    text = str(reason.get("text", ""))
    args = reason.get("args")
    return text % args if isinstance(args, dict) else text


def _rewrite(apps: Any, change: Any) -> None:
    DuplicateCandidate = apps.get_model("people", "DuplicateCandidate")
    for pair in DuplicateCandidate.objects.only("pk", "reasons").iterator(chunk_size=2000):
        reasons = [change(reason) for reason in pair.reasons]
        if reasons != pair.reasons:
            DuplicateCandidate.objects.filter(pk=pair.pk).update(reasons=reasons)


def forwards(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, as_words)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, as_english)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_alias_given_name_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
