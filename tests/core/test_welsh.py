"""Welsh soft mutation after "gan" (#20 item 11, VC2): what a Welsh reader expects of an
agency named after "by"."""

from __future__ import annotations

import pytest
from django.utils import translation

from tarian.core.welsh import soft_mutation
from tarian.web.templatetags.welsh import after_gan


@pytest.mark.parametrize(("name", "mutated"), [
    ("Bwrdd Iechyd Gaerwen", "Fwrdd Iechyd Gaerwen"),
    ("Gwasanaethau Plant Gaerwen", "Wasanaethau Plant Gaerwen"),
    ("Meddygfa Aberwen", "Feddygfa Aberwen"),
    ("Tîm Dyletswydd Argyfwng", "Dîm Dyletswydd Argyfwng"),
    ("Cyngor Sir", "Gyngor Sir"),
    ("Prifysgol Bangor", "Brifysgol Bangor"),
    ("Darparwr", "Ddarparwr"),
    ("Llys Ynadon", "Lys Ynadon"),
    ("Rhwydwaith", "Rwydwaith"),
    ("Heddlu Gaerwen", "Heddlu Gaerwen"),
    ("Ysgol Aberwen", "Ysgol Aberwen"),
    ("", ""),
])
def test_vc2_20_soft_mutation(name: str, mutated: str) -> None:
    assert soft_mutation(name) == mutated


def test_vc2_20_after_gan_mutates_only_in_welsh() -> None:
    with translation.override("cy"):
        assert after_gan("Bwrdd Iechyd Gaerwen") == "Fwrdd Iechyd Gaerwen"
    with translation.override("en"):
        assert after_gan("Gaerwen Health Board") == "Gaerwen Health Board"
