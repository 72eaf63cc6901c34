"""Instances read with one plain statement (``tarian.core.rawsql``, issue 17) are the instances
the ORM gives: the same values, converted the same way, not "adding", on the default database,
and they save as an update of their own row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Model

from tarian.agencies.models import Agency, User
from tarian.core.rawsql import columns, instance, table
from tarian.people.models import Person

pytestmark = pytest.mark.django_db


def _plain(obj: Model) -> dict[str, Any]:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


def _read(model: type[Model], pk: object) -> Model:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns(model, 'x'))} FROM {table(model)} x WHERE x.id = %s",  # noqa: S608
            [pk],
        )
        row = cursor.fetchone()
    return instance(model, "x", row)


@pytest.mark.parametrize("name", ["person", "user", "agency"])
def test_an_instance_read_here_is_the_orm_instance(
    name: str, child: Person, social_worker: User
) -> None:
    orm = {"person": child, "user": social_worker, "agency": social_worker.agency}[name]
    model = type(orm)
    fresh = model.objects.get(pk=orm.pk)
    found = _read(model, orm.pk)
    assert type(found) is model
    assert _plain(found) == _plain(fresh)
    assert found._state.adding is False and found._state.db == "default"
    assert found == fresh


def test_an_instance_read_here_follows_and_saves_like_the_orms(social_worker: User) -> None:
    users = User.objects.count()
    found = _read(User, social_worker.pk)
    assert isinstance(found, User)
    assert found.agency == social_worker.agency  # the foreign key is followed as usual
    found.first_name = "Changed"
    found.save(update_fields=["first_name"])
    assert User.objects.get(pk=social_worker.pk).first_name == "Changed"
    assert User.objects.count() == users  # an update of its row, not a new one


def test_agency_instances_share_no_state(social_worker: User) -> None:
    first, second = _read(Agency, social_worker.agency_id), _read(Agency, social_worker.agency_id)
    assert first is not second and first._state is not second._state
