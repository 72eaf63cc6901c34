"""Forms for the front door (FD1, FD4, VC1), in GOV.UK patterns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tarian.people import vocabulary
from tarian.procedures.levels import Level
from tarian.procedures.packs import current_pack
from tarian.referrals import unseen
from tarian.referrals.models import Consent, ParentalAwareness, Referral, VoiceMethod
from tarian.referrals.police import DOMESTIC_ABUSE
from tarian.referrals.services import CONTENT_FIELDS, HIGH_PRIORITY, NO_FURTHER_ACTION
from tarian.referrals.threshold import threshold_guide


class ReferralForm(forms.Form):
    # What its draft is about: the Tarian ID of the child it was begun from, or empty.
    about = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)
    # #20 item 8: children and household members are chosen (from the match panel, a child's
    # record, or the household on the record), never typed as Tarian IDs: these hidden fields
    # keep the choice, and the page shows it by name.
    children = forms.CharField(label=_("Children"), widget=forms.HiddenInput, required=False)
    household = forms.CharField(
        label=_("Adults and others in the household"), widget=forms.HiddenInput,
        required=False,
    )
    # Children the referrer could not see, by the matcher's handles (``referrals.unseen``).
    unseen_children = forms.CharField(
        label=_("Children you could not see"), widget=forms.HiddenInput, required=False
    )
    household_notes = forms.CharField(
        label=_("Who else lives with the child?"),
        help_text=_("Anyone not on Tarian: their name, how they are related to the child, and "
                    "anything known about risk"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    concern = forms.CharField(
        label=_("What is the concern?"),
        help_text=_("What happened, when, who was there, and what you saw or were told"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    voice_of_child = forms.CharField(
        label=_("What did the child say or show?"),
        help_text=_("Their own words if you can, or what you saw of how they were"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    # "Not stated" is what a partner system's referral without a method records (#20); a
    # referrer on this form is asked how the voice was captured, so it is not offered here.
    voice_method = forms.ChoiceField(
        label=_("How was this captured?"),
        choices=[c for c in VoiceMethod.choices if c[0] != VoiceMethod.NOT_STATED],
        required=False, widget=forms.RadioSelect,
    )
    voice_language = forms.ChoiceField(label=_("In which language?"), required=False)
    voice_of_child_absent_reason = forms.CharField(
        label=_("If the child's voice could not be recorded, why not?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    parental_awareness = forms.ChoiceField(
        label=_("Do the parents or carers know about this referral?"),
        choices=ParentalAwareness.choices, widget=forms.RadioSelect, required=False,
    )
    consent = forms.ChoiceField(
        label=_("Consent"), choices=Consent.choices, widget=forms.RadioSelect, required=False
    )
    strengths = forms.CharField(
        label=_("Strengths and protective factors"),
        help_text=_("Who and what keeps the child safe"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    other_professionals = forms.CharField(
        label=_("Other professionals involved"),
        help_text=_("Names, agencies and how to reach them"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    priority = forms.ChoiceField(
        label=_("How urgent is this?"), widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: Any, police: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        # #20 item 9: only a police user is asked for the police facts.
        self.police = police
        if police:
            self.fields.update(_police_fields(language))
        voice_language = self.fields["voice_language"]
        priority = self.fields["priority"]
        assert isinstance(voice_language, forms.ChoiceField)
        assert isinstance(priority, forms.ChoiceField)
        blank: list[tuple[str, str]] = [("", str(_("Choose a language")))]
        voice_language.choices = blank + vocabulary.choices("language", language)
        priority.choices = current_pack().choices("referrer_priorities", language)
        # The pack's word for a referral ("report" in Wales), issue 20 item 5.
        report = {"report": current_pack().term("report_name", language)}
        awareness = self.fields["parental_awareness"]
        assert isinstance(awareness, forms.ChoiceField)
        awareness.label = _("Do the parents or carers know about this %(report)s?") % report
        awareness.choices = [
            (code, _("Parents or carers know about this %(report)s") % report
             if code == ParentalAwareness.AWARE else label)
            for code, label in ParentalAwareness.choices
        ]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("about", None)
        data["children"] = [
            c.strip().upper() for c in (data.get("children") or "").split(",") if c.strip()
        ]
        data["household"] = [
            c.strip().upper() for c in (data.get("household") or "").split(",") if c.strip()
        ]
        data["unseen_children"] = unseen.form_rows(data.get("unseen_children"))
        for name in POLICE_ANSWERS:
            if name in data:
                data[name] = YES_NO_VALUES.get(data[name])
        return data


# #20 item 9: yes or no, kept in a draft as typed and given to the service as true or false.
YES_NO_VALUES = {"yes": True, "no": False}
POLICE_ANSWERS = ("children_present", "children_seen", "protection_notice_considered")


def _yes_no(label: Any, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, help_text=help_text, required=False, widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))],
    )


def _police_fields(language: str) -> dict[str, forms.Field]:
    """The "Police information" section's fields, their lists and words from the pack."""
    pack = current_pack()
    words = {
        "ppn": pack.term("public_protection_notice_name", language),
        "notice": pack.term("protection_notice_name", language),
        "domestic_abuse": pack.label("police_incident_types", DOMESTIC_ABUSE, language),
    }
    return {
        "crime_reference": forms.CharField(
            label=_("Crime or incident reference"),
            help_text=_("As it is on the force's system. Give this, the %(ppn)s reference, or "
                        "both") % words,
            required=False, strip=False,
        ),
        "public_protection_notice_reference": forms.CharField(
            label=capfirst(_("%(ppn)s reference") % words), required=False, strip=False,
        ),
        "incident_type": forms.ChoiceField(
            label=_("Type of incident"), widget=forms.RadioSelect, required=False,
            choices=pack.choices("police_incident_types", language),
        ),
        "police_risk_level": forms.ChoiceField(
            label=_("Your risk assessment"), widget=forms.RadioSelect, required=False,
            help_text=_("Standard, medium or high, as on your risk assessment (DASH in "
                        "domestic abuse)"),
            choices=pack.choices("police_risk_levels", language),
        ),
        "children_present": _yes_no(_("Were children present?")),
        "children_seen": _yes_no(
            _("Did officers see the children?"), _("Answer if children were present")
        ),
        "protection_notice_considered": _yes_no(
            capfirst(_("Was a %(notice)s considered?") % words),
            _("Answer for %(domestic_abuse)s") % {
                "domestic_abuse": words["domestic_abuse"].lower()
            },
        ),
        "protection_notice_outcome": forms.CharField(
            label=_("What came of it, or why was a notice not considered?"),
            widget=forms.Textarea(attrs={"rows": 3}), required=False,
        ),
    }


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision")},
    )
    threshold_level = forms.ChoiceField(label=_("Level of need"), required=False)
    rationale = forms.CharField(
        label=_("Why? (rationale)"),
        help_text=_("What you considered, and why this decision keeps the child safe. "
                    "'NFA' on its own is not a reason."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    # Shown on high-priority referrals only; the service says when it is needed (FD4).
    risk_analysis = forms.CharField(
        label=_("Risk analysis"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args: Any, levels: list[Level] | None = None, **kwargs: Any) -> None:
        """``levels``: the threshold guide's levels in use, when the page has read them."""
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        pack = current_pack()
        self.fields["risk_analysis"].help_text = _(
            "Needed if you decide “%(outcome)s” on a %(report)s with the priority "
            "“%(priority)s”: what the risks to the child are, what protects them now, and why "
            "that is safe."
        ) % {
            "outcome": pack.label("gateway_outcomes", NO_FURTHER_ACTION, language),
            "report": pack.term("report_name", language),
            "priority": pack.label("referrer_priorities", HIGH_PRIORITY, language),
        }
        outcome = self.fields["outcome"]
        level = self.fields["threshold_level"]
        assert isinstance(outcome, forms.ChoiceField) and isinstance(level, forms.ChoiceField)
        outcome.choices = pack.choices("gateway_outcomes", language)
        level.choices = [
            ("", str(_("Choose a level"))),
            *((item.code, item.title(language))
              for item in (threshold_guide() if levels is None else levels)),
        ]


class SignOffForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


# Review (#20): sign-off is a decision, not a stamp. The forms on the referral's page post to
# the sign-off and approval addresses with the ``action`` they take.
SIGN_OFF, RETURN, DECIDE = "sign_off", "return", "decide"
APPROVE = "approve"


class ShareCommentMixin(forms.Form):
    share_comment = forms.BooleanField(
        label=_("Tell the referrer this comment with the outcome"), required=False
    )


class SignOffWithCommentForm(SignOffForm, ShareCommentMixin):
    """Sign off, with a comment the manager may choose to tell the referrer (FD5, #20)."""


class ReturnDecisionForm(forms.Form):
    # On the same page as the sign-off form: its fields need their own names and IDs.
    prefix = "return"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Why are you returning it?"),
        help_text=_("The Gateway worker reads this: say what to look at again, and why."),
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )


class ManagersDecisionForm(DecisionForm, ShareCommentMixin):
    """The team manager's own decision, in place of the Gateway worker's (FD4)."""

    prefix = "manager"

    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnReferralForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(
        label=_("Comment for the officer"),
        help_text=_("What should they add or change before it goes to the Gateway, and why?"),
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )


class ResubmitForm(ReferralForm):
    """The officer's answer to the supervisor's comment, with what the referral says to change
    where the comment asks (#20 item 2). Whom it is about is not changed here."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    answer = forms.CharField(
        label=_("Your answer to your supervisor's comment"),
        help_text=_("What you added or changed, and anything the supervisor should know."),
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("about", "children", "household", "unseen_children"):
            self.fields.pop(name, None)

    @staticmethod
    def initial_for(referral: Referral) -> dict[str, Any]:
        """The form filled in with what the referral says now."""
        initial: dict[str, Any] = {"version": referral.version}
        for name in CONTENT_FIELDS:
            value = getattr(referral, name)
            if name in POLICE_ANSWERS:
                value = {True: "yes", False: "no"}.get(value, "")
            initial[name] = value
        return initial

    def changes_shown(self, changes: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
        """What the officer changed when sending it again, as the page words it: each
        question's label, and the answer before and after as this form offers it."""

        def shown(field: forms.Field, value: Any) -> str:
            if value is None or value == "":
                return str(_("Not given"))
            if isinstance(value, bool):
                return str(_("Yes") if value else _("No"))
            if isinstance(field, forms.ChoiceField):
                return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
            return str(value)

        return [
            (str(field.label), shown(field, change.get("before")),
             shown(field, change.get("after")))
            for name, change in changes.items()
            if (field := self.fields.get(name)) is not None
        ]

    def changes(self, posted: Iterable[str]) -> dict[str, Any]:
        """The content fields the page sent (``posted``: the names in the request), as the
        service takes them; a field not sent stays as it is."""
        data = {
            name: self.cleaned_data[name]
            for name in CONTENT_FIELDS if name in posted and name in self.cleaned_data
        }
        for name in POLICE_ANSWERS:
            if name in data:
                data[name] = YES_NO_VALUES.get(data[name])
        return data

# #20 item 8: the Gateway's answer on a child the referrer could not see.
CONFIRM, REJECT = "confirm", "reject"


class UnseenLinkForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    action = forms.ChoiceField(
        choices=[(CONFIRM, CONFIRM), (REJECT, REJECT)], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Why is this record not the child?"),
        help_text=_("Say what differs from what the referrer described."),
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )
    child = forms.ChoiceField(
        label=_("The right record"), widget=forms.RadioSelect, required=False,
    )

    def __init__(self, *args: Any, others: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        """``others``: (Tarian ID, label) of other records that match what the referrer typed."""
        super().__init__(*args, **kwargs)
        self.set_others(others or [])

    def set_others(self, others: list[tuple[str, str]]) -> None:
        child = self.fields["child"]
        assert isinstance(child, forms.ChoiceField)
        child.choices = [*others,
                         ("", str(_("None of these: keep the child as the referrer described "
                                    "them")))]
