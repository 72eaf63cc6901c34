"""The convening form for children's services (issue 21; SM1, SM6): which kind, which
children, when, and who chairs in what role and seniority. The rules are the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tarian.meetings.forms import WhenForm
from tarian.procedures.packs import current_pack
from tarian.strategy.services import STRATEGY_KINDS


class ConveneForm(WhenForm):
    when_error = _("Enter the date and time it is planned for, for example 14 3 2027 10 30")

    kind = forms.ChoiceField(label=_("Is this a strategy discussion or a strategy meeting?"),
                             required=False, initial="discussion")
    children = forms.CharField(
        label=_("Children"), required=False,
        help_text=_("Tarian IDs separated by commas, for example T7K3M9Q2X. Leave empty to use "
                    "the children the referral is about."),
    )
    referral = forms.CharField(required=False, widget=forms.HiddenInput)
    chair = forms.CharField(label=_("Chair (username)"), required=False, max_length=150,
                            help_text=_("You chair it unless you name someone else"))
    chair_role = forms.CharField(label=_("The chair's role"), required=False, max_length=120)
    chair_seniority = forms.CharField(label=_("The chair's seniority"), required=False,
                                      max_length=120,
                                      help_text=_("For example, team manager or service "
                                                  "manager"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        pack = current_pack()
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(key, pack.label("meeting_kinds", code, language))
                        for key, code in STRATEGY_KINDS.items()]

    def refs(self) -> list[str]:
        typed = str(self.cleaned_data.get("children") or "")
        return [ref.strip().upper() for ref in typed.replace(" ", ",").split(",") if ref.strip()]
