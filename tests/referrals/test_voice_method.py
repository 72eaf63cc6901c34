"""The child's voice by API and on the form: its method is optional for partner systems (#20
item 12, API contract), recorded as "not stated", and still asked of a referrer on the form
(VC1, FD1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.errors import Refused
from tarian.referrals import services
from tarian.referrals.models import Referral, VoiceMethod
from tests.clients import signed_in

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def test_vc1_issue20_api_referral_without_voice_method_keeps_the_voice_as_not_stated(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    client = api(school_dsl)
    for sent in ({k: v for k, v in referral_data.items() if k != "voice_method"},
                 {**referral_data, "voice_method": ""}):
        response = client.post("/api/v1/referrals", sent, content_type="application/json")
        assert response.status_code == 201, response.content
        assert response.json()["voice_method"] == "not_stated"
        assert response.json()["voice_of_child"] == referral_data["voice_of_child"]


def test_vc1_issue20_api_referral_keeps_a_stated_voice_method(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    response = api(school_dsl).post(
        "/api/v1/referrals", {**referral_data, "voice_method": "advocate"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["voice_method"] == "advocate"


def test_vc1_issue20_api_referral_with_an_unknown_voice_method_is_refused_naming_the_values(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    response = api(school_dsl).post(
        "/api/v1/referrals", {**referral_data, "voice_method": "telepathy"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"voice_method": [
        "Choose one of: own_words, observation, advocate, app, other, not_stated"
    ]}}
    assert not Referral.objects.exists()


def test_vc1_issue20_without_the_childs_voice_the_method_stays_blank(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    sent = {**referral_data, "voice_of_child": "",
            "voice_of_child_absent_reason": "Asleep when seen; too young to speak with."}
    sent.pop("voice_method")
    response = api(school_dsl).post("/api/v1/referrals", sent, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["voice_method"] == ""


def test_vc1_issue20_service_refuses_a_missing_method_where_the_referrer_is_asked(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    data = {k: v for k, v in referral_data.items() if k != "voice_method"}
    with pytest.raises(Refused) as refused:
        services.submit_referral(school_dsl, data=data, require_voice_method=True)
    assert refused.value.errors == {"voice_method": ["Say how the child's voice was captured"]}
    assert not Referral.objects.exists()


def test_vc1_issue20_the_form_asks_how_and_does_not_offer_not_stated(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    client = signed_in(school_dsl)
    page = client.get(reverse("web:new_referral")).content.decode()
    assert 'value="own_words"' in page
    assert 'value="not_stated"' not in page
    form = {**referral_data, "children": ", ".join(referral_data["children"]),
            "voice_method": ""}
    response = client.post(reverse("web:new_referral"), form)
    assert response.status_code == 200
    assert "Say how the child&#x27;s voice was captured" in response.content.decode()
    assert not Referral.objects.exists()


def test_vc1_issue20_not_stated_is_shown_in_english_and_welsh(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    data = {k: v for k, v in referral_data.items() if k != "voice_method"}
    referral = services.submit_referral(school_dsl, data=data)
    assert referral.voice_method == VoiceMethod.NOT_STATED
    address = reverse("web:referral", args=[referral.ref])
    assert "(Not stated, " in signed_in(school_dsl).get(address).content.decode()
    assert "(Heb ei nodi, " in signed_in(school_dsl, "cy").get(address).content.decode()
