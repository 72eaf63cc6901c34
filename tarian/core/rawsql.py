"""Reading model instances with one plain statement, for the few hot paths where building an
ORM query cost more than the database's answer (a match request's token lookup).

Values are converted exactly as the ORM would (each field's and the backend's converters), so
an instance read here is the instance ``QuerySet`` would give.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model, signals
from django.db.models.base import ModelState

Converter = Callable[[Any, Any, Any], Any]


def columns(model: type[Model], alias: str) -> list[str]:
    """``alias.column`` for every concrete field, in field order (for a SELECT list); worked
    out once per model, alias and connection."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    known: dict[tuple[type[Model], str], list[str]] = wrapper.__dict__.setdefault(
        "_tarian_rawsql_columns", {}
    )
    found = known.get((model, alias))
    if found is None:
        quote = connection.ops.quote_name
        found = [f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields]
        known[(model, alias)] = found
    return list(found)


def statement(key: Hashable, build: Callable[[], str]) -> str:
    """A hand-written statement's text, built by ``build`` once per ``key`` and connection
    (the text holds the connection's quoting of table and column names, and sometimes its
    dialect), then reused: building it again on every request cost more than parsing it."""
    texts: dict[Hashable, str] = connections[DEFAULT_DB_ALIAS].__dict__.setdefault(
        "_tarian_rawsql_statements", {}
    )
    text = texts.get(key)
    if text is None:
        text = texts[key] = build()
    return text


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _converters(field: Field[Any, Any], alias: str) -> list[Converter]:
    column = field.get_col(alias)
    own = field.get_db_converters(connection)  # type: ignore[attr-defined]
    return [*connection.ops.get_db_converters(column), *own]


# The columns that need converting, by position: (position, the column, its converters);
# and how many columns the row has.
_Plan = tuple[list[tuple[int, Any, list[Converter]]], int]


def _plan(wrapper: Any, model: type[Model], alias: str) -> _Plan:
    """The converters of each column that has any, worked out once per model, alias and
    connection (finding them again for every row was most of the cost of reading one here;
    most columns need none, and are then not visited at all)."""
    plans: dict[tuple[type[Model], str], _Plan] = wrapper.__dict__.setdefault(
        "_tarian_rawsql_plans", {}
    )
    plan = plans.get((model, alias))
    if plan is None:
        fields = model._meta.concrete_fields
        converting = [
            (position, field.get_col(alias), converters)
            for position, field in enumerate(fields)
            if (converters := _converters(field, alias))
        ]
        plan = plans[(model, alias)] = (converting, len(fields))
    return plan


def convert(model: type[Model], alias: str, values: Sequence[Any]) -> list[Any]:
    """A row's values for ``columns(model, alias)`` as Python values."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # the thread's own connection object
    converting, width = _plan(wrapper, model, alias)
    if len(values) != width:
        raise ValueError(f"{model.__name__} has {width} columns, not {len(values)}")
    found = list(values)
    for position, column, converters in converting:
        value = found[position]
        for converter in converters:
            value = converter(value, column, wrapper)
        found[position] = value
    return found


def convert_field(model: type[Model], name: str, alias: str, value: Any) -> Any:
    """One column's value as a Python value."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    plans: dict[tuple[type[Model], str, str], tuple[Any, list[Converter]]] = (
        wrapper.__dict__.setdefault("_tarian_rawsql_fields", {})
    )
    plan = plans.get((model, alias, name))
    if plan is None:
        field = model._meta.get_field(name)
        if not isinstance(field, Field):
            raise TypeError(f"{model.__name__}.{name} is not a column")
        plan = plans[(model, alias, name)] = (field.get_col(alias), _converters(field, alias))
    column, converters = plan
    for converter in converters:
        value = converter(value, column, wrapper)
    return value


def _attnames(model: type[Model]) -> list[str] | None:
    """The attributes an instance of ``model`` is built from, or None when it must be built
    by ``Model.__init__`` (it has its own ``__init__``, or receivers of ``pre_init`` or
    ``post_init`` signals: nothing of Tarian's does today)."""
    if "_tarian_rawsql_attnames" not in model.__dict__:
        plain = (
            model.__init__ is Model.__init__
            and not signals.pre_init.has_listeners(model)
            and not signals.post_init.has_listeners(model)
        )
        names = [field.attname for field in model._meta.concrete_fields] if plain else None
        setattr(model, "_tarian_rawsql_attnames", names)  # noqa: B010 - the class's own
    found: list[str] | None = model.__dict__["_tarian_rawsql_attnames"]
    return found


def instance(model: type[Model], alias: str, values: Sequence[Any]) -> Model:
    """A model instance from a row's values for ``columns(model, alias)``: what
    ``Model.from_db`` gives (every field's attribute set, not adding, on the default
    database), built without ``Model.__init__``'s per-field ``setattr`` where nothing needs it
    (a fresh instance has no related objects cached for a foreign key's setter to clear)."""
    names = _attnames(model)
    converted = convert(model, alias, values)
    if names is None:
        return model.from_db(
            DEFAULT_DB_ALIAS, [f.attname for f in model._meta.concrete_fields], converted
        )
    found = model.__new__(model)
    state = found._state = ModelState()
    state.adding = False
    state.db = DEFAULT_DB_ALIAS
    found.__dict__.update(zip(names, converted, strict=True))
    return found


def prepared_cursor() -> Any:
    """A cursor for a hand-written statement that runs on every request: on PostgreSQL its
    parameters are bound on the server and it is planned once per connection
    (``tarian.core.db.postgresql``); elsewhere Django's usual cursor."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    prepared = getattr(wrapper, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()
