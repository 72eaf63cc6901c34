"""The API framework for ``/api/v1/`` (the API contract), and nothing else.

Authentication by bearer token (``authentication.py``, tokens from ``agencies.credentials``),
the parser that refuses hostile JSON, coded fields whose errors name the values allowed
(``fields.py``), the error shape (``errors.py``: ``Refused`` -> 400 with
the field, ``NotFound`` -> 404, ``Forbidden`` -> 403, ``Restricted`` -> 403 with the break-glass
address, ``Conflict`` -> 409), pagination, the OpenAPI schema, and the router (``urls.py``)
that gathers every app's ``api`` routes. Endpoints live in each app's ``api.py``.
"""
