"""The web shell (VC2, accessibility and Welsh for every page), and nothing else.

The base template and GOV.UK/MoJ partials, static files, log-in, account and two-factor pages,
the home page, the middleware (log-in required, session expiry, no-store, NUL bytes refused,
two-factor), the context processors, the shared form helpers, and ``refusals.py``, the one place
where a page's ``NotFound``/``Forbidden``/``Restricted`` become the 404 or break-glass page.
``urls.py`` gathers every app's ``pages`` routes. Pages live in each app's ``views.py``.
"""
