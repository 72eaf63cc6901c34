"""Agencies, teams, users, roles and access (IS1, IS4).

Holds who may see and do what: the sharing rules (``sharing_rules.toml``, loaded and checked by
``sharing.py``) and ``access.scope_for``, the one place that answers "may this user do this to
this kind of record"; the user model and its log-in backends (passwords with the breached and
low-variety checks, OIDC, two-factor enrolment by one-time link); API tokens
(``credentials.py``: issue, revoke, look up); and ``services.create_user`` and the token
services, which audit every change to an account. Pages: none of its own yet (the account page
is the web shell's); command: ``tarian create-user``, ``tarian two-factor-link``.
"""
