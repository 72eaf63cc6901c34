"""Endpoints for a meeting of any kind (issue 21). A workflow mounts them under its own path
with the meeting kinds it serves (``strategy-meetings`` serves strategy discussions and
meetings); a meeting of another kind answers 404 there, as one the caller may not see does."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tarian.actions.models import ActionStatus
from tarian.agencies.models import Agency
from tarian.api.fields import Choice
from tarian.api.requests import api_user
from tarian.errors import NotFound, Refused
from tarian.meetings import selectors, services
from tarian.meetings.models import Audience
from tarian.meetings.serializers import LANGUAGES, MeetingOut, meeting_data
from tarian.people.models import Person


def valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def agency_named(slug: str, field: str = "agency") -> Agency:
    agency = Agency.objects.filter(slug=str(slug)).first()
    if agency is None:
        raise Refused(field, "No agency with this slug")
    return agency


def answer(request: Request, meeting_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    record = selectors.meeting_record(api_user(request), meeting_id, audit=False)
    from tarian.meetings.extras import add_extras

    add_extras(api_user(request), record)
    return Response(meeting_data(record, language=get_language() or "en"), status=code)


class MeetingEndpoint(APIView):
    """Base: the meeting named in the path, of one of ``kinds``, as the caller may see it."""

    kinds: ClassVar[Collection[str]] = ()

    def check_kind(self, request: Request, id: int) -> None:
        meeting = selectors.meeting_for(api_user(request), id)
        if self.kinds and meeting.kind not in self.kinds:
            raise NotFound(str(id))


class MeetingView(MeetingEndpoint):
    @extend_schema(responses=MeetingOut, summary="The meeting as the caller may see it")
    def get(self, request: Request, id: int) -> Response:
        self.check_kind(request, id)
        record = selectors.meeting_record(api_user(request), id)
        from tarian.meetings.extras import add_extras

        add_extras(api_user(request), record)
        return Response(meeting_data(record, language=get_language() or "en"))


class ExclusionIn(serializers.Serializer[Any]):
    agency = serializers.CharField(help_text="The proposed agency's slug")
    reason = serializers.CharField(allow_blank=True, help_text="Why it is not invited (required)")


class ExclusionsView(MeetingEndpoint):
    @extend_schema(request=ExclusionIn, responses={201: MeetingOut},
                   summary="Leave a proposed agency out, with a reason (SM1)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ExclusionIn, request.data)
        self.check_kind(request, id)
        services.exclude_invitee(api_user(request), meeting_id=id,
                                 agency=agency_named(data["agency"]), reason=data["reason"])
        return answer(request, id, code=status.HTTP_201_CREATED)


class InvitationsView(MeetingEndpoint):
    @extend_schema(request=ExclusionIn, responses={201: MeetingOut},
                   summary="Invite an agency the rule did not propose, with a reason")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ExclusionIn, request.data)
        self.check_kind(request, id)
        services.invite_agency(api_user(request), meeting_id=id,
                               agency=agency_named(data["agency"]), reason=data["reason"])
        return answer(request, id, code=status.HTTP_201_CREATED)


class AnswerIn(serializers.Serializer[Any]):
    status = Choice(lambda: ["accepted", "declined", "sent_information"])
    reason = serializers.CharField(required=False, allow_blank=True,
                                   help_text="Required when declining")
    information = serializers.CharField(required=False, allow_blank=True,
                                        help_text="Required when sending information instead")
    audience = Choice(lambda: list(Audience.values), required=False)


class AnswerView(MeetingEndpoint):
    @extend_schema(request=AnswerIn, responses=MeetingOut,
                   summary="The caller's agency accepts, declines or sends information")
    def post(self, request: Request, id: int) -> Response:
        data = valid(AnswerIn, request.data)
        self.check_kind(request, id)
        services.answer_invitation(
            api_user(request), meeting_id=id, status=data["status"],
            reason=data.get("reason", ""), information=data.get("information", ""),
            audience=data.get("audience") or Audience.INVITED,
        )
        return answer(request, id)


class InformationIn(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True)
    audience = Choice(lambda: list(Audience.values), required=False)


class InformationView(MeetingEndpoint):
    @extend_schema(request=InformationIn, responses={201: MeetingOut},
                   summary="Information the caller's agency shares with the meeting (SM2)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(InformationIn, request.data)
        self.check_kind(request, id)
        services.share_information(api_user(request), meeting_id=id, text=data["text"],
                                   audience=data.get("audience") or Audience.INVITED)
        return answer(request, id, code=status.HTTP_201_CREATED)


class HeldIn(serializers.Serializer[Any]):
    held_at = serializers.DateTimeField()
    attended = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="Slugs of the agencies that attended")
    risk_analysis = serializers.CharField(required=False, allow_blank=True)


class HeldView(MeetingEndpoint):
    @extend_schema(request=HeldIn, responses=MeetingOut,
                   summary="Record that the meeting was held, who attended, the risk analysis")
    def post(self, request: Request, id: int) -> Response:
        data = valid(HeldIn, request.data)
        self.check_kind(request, id)
        services.record_held(
            api_user(request), meeting_id=id, held_at=data["held_at"],
            attended=[agency_named(slug, "attended") for slug in data.get("attended", [])],
            risk_analysis=data.get("risk_analysis", ""),
        )
        return answer(request, id)


class DecisionIn(serializers.Serializer[Any]):
    decision = serializers.CharField(help_text="A code of the pack's list for this meeting kind")
    rationale = serializers.CharField(allow_blank=True)
    child = serializers.CharField(required=False, allow_blank=True,
                                  help_text="Tarian ID, when the decision is about one child")


class DecisionsView(MeetingEndpoint):
    @extend_schema(request=DecisionIn, responses={201: MeetingOut},
                   summary="Record a decision with its rationale (a bare NFA is refused)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(DecisionIn, request.data)
        self.check_kind(request, id)
        user = api_user(request)
        meeting = selectors.meeting_for(user, id)
        from tarian.meetings.kinds import decision_list

        child = None
        if data.get("child"):
            child = Person.objects.filter(ref=data["child"]).first()
            if child is None:
                raise Refused("child", "Choose a child this meeting is about")
        services.record_meeting_decision(
            user, meeting_id=id, list_name=decision_list(meeting.kind) or "strategy_decisions",
            code=data["decision"], rationale=data["rationale"], child=child,
        )
        return answer(request, id, code=status.HTTP_201_CREATED)


class CirculateDecisionsView(MeetingEndpoint):
    @extend_schema(request=None, responses=MeetingOut,
                   summary="Send the decisions to every invited agency (SM4)")
    def post(self, request: Request, id: int) -> Response:
        self.check_kind(request, id)
        services.circulate_decisions(api_user(request), meeting_id=id)
        return answer(request, id)


class ActionIn(serializers.Serializer[Any]):
    owner_agency = serializers.CharField(help_text="Slug of the agency that carries it out")
    owner = serializers.CharField(required=False, allow_blank=True,
                                  help_text="Username of the person there, if one is named")
    description = serializers.CharField(allow_blank=True)
    due_date = serializers.DateField()


class ActionOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField()
    description = serializers.CharField()
    owner_agency = serializers.CharField()
    owner = serializers.CharField(allow_null=True)
    due_date = serializers.DateField()
    status = Choice(ActionStatus.choices, enum_name="AgreedActionStatusEnum")
    version = serializers.IntegerField()


class ActionsView(MeetingEndpoint):
    @extend_schema(request=ActionIn, responses={201: ActionOut},
                   summary="An action the meeting agreed: owner agency (and person), due date "
                   "(SM3); completed through POST /api/v1/actions/{id}/complete")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ActionIn, request.data)
        self.check_kind(request, id)
        user = api_user(request)
        owner = None
        if data.get("owner"):
            owner = get_user_model().objects.filter(
                username=data["owner"], is_active=True
            ).first()
            if owner is None:
                raise Refused("owner", "No active user with this username")
        action = services.agree_meeting_action(
            user, meeting_id=id, description=data["description"],
            owner_agency=agency_named(data["owner_agency"], "owner_agency"), owner=owner,
            due_date=data["due_date"],
        )
        return Response({
            "id": action.pk, "meeting": id, "description": action.description,
            "owner_agency": action.owner_agency.slug,
            "owner": action.owner.username if action.owner else None,
            "due_date": action.due_date, "status": action.status, "version": action.version,
        }, status=status.HTTP_201_CREATED)


class DissentIn(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True)
    decision = serializers.IntegerField(required=False, allow_null=True)
    what = serializers.CharField(required=False, allow_blank=True)


class DissentsView(MeetingEndpoint):
    @extend_schema(request=DissentIn, responses={201: MeetingOut},
                   summary="The caller's agency disagrees, and why (SM2)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(DissentIn, request.data)
        self.check_kind(request, id)
        services.record_dissent(api_user(request), meeting_id=id, reason=data["reason"],
                                decision_id=data.get("decision"), what=data.get("what", ""))
        return answer(request, id, code=status.HTTP_201_CREATED)


class AddendumIn(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True)
    agreed_on = serializers.DateField()
    agreed_with = serializers.CharField(required=False, allow_blank=True)


class AddendaView(MeetingEndpoint):
    @extend_schema(request=AddendumIn, responses={201: MeetingOut},
                   summary="An agreement reached outside the meeting (SM5)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(AddendumIn, request.data)
        self.check_kind(request, id)
        services.add_addendum(api_user(request), meeting_id=id, text=data["text"],
                              agreed_on=data["agreed_on"],
                              agreed_with=data.get("agreed_with", ""))
        return answer(request, id, code=status.HTTP_201_CREATED)


class MinutesIn(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True)
    translation = serializers.CharField(required=False, allow_blank=True)
    language = Choice(LANGUAGES, required=False, enum_name="MinutesLanguageEnum")
    version = serializers.IntegerField(required=False, min_value=0)


class MinutesView(MeetingEndpoint):
    @extend_schema(request=MinutesIn, responses={201: MeetingOut},
                   summary="Save the draft minutes (a stale version answers 409)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(MinutesIn, request.data)
        self.check_kind(request, id)
        services.save_minutes(
            api_user(request), meeting_id=id, text=data["text"],
            translation_text=data.get("translation", ""), language=data.get("language") or "en",
            version=data.get("version"),
        )
        return answer(request, id, code=status.HTTP_201_CREATED)


class ApproveIn(serializers.Serializer[Any]):
    version = serializers.IntegerField(required=False, min_value=1)


class ApproveMinutesView(MeetingEndpoint):
    @extend_schema(request=ApproveIn, responses=MeetingOut,
                   summary="The chair approves the minutes, which circulates them (SM4)")
    def post(self, request: Request, id: int) -> Response:
        data = valid(ApproveIn, request.data)
        self.check_kind(request, id)
        services.approve_minutes(api_user(request), meeting_id=id, version=data.get("version"))
        return answer(request, id)


def meeting_routes(prefix: str, name: str, kinds: Collection[str], *, owner: str) -> list[Any]:
    """The endpoints above under ``prefix/<int:id>``, serving meetings of ``kinds``. Each view
    class made here belongs to ``owner`` (the mounting workflow's ``urls`` module), so the
    endpoint is found from the app that lists it (tests/test_layout.py)."""
    from django.urls import path

    def view(cls: type[MeetingEndpoint], suffix: str) -> Any:
        bound: type[MeetingEndpoint] = type(
            f"{name.title().replace('-', '')}{cls.__name__}", (cls,),
            {"kinds": kinds, "__module__": owner},
        )
        return path(f"{prefix}/<int:id>{suffix}", bound.as_view(),
                    name=f"{name}{suffix.replace('/', '-') or ''}")

    return [
        view(MeetingView, ""),
        view(ExclusionsView, "/exclusions"),
        view(InvitationsView, "/invitations"),
        view(AnswerView, "/answer"),
        view(InformationView, "/information"),
        view(HeldView, "/held"),
        view(DecisionsView, "/decisions"),
        view(CirculateDecisionsView, "/decisions/circulate"),
        view(DissentsView, "/dissents"),
        view(ActionsView, "/actions"),
        view(AddendaView, "/addenda"),
        view(MinutesView, "/minutes"),
        view(ApproveMinutesView, "/minutes/approve"),
    ]
