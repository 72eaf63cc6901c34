"""Password log-in against Tarian's users, loading each request's user with their agency.

Django's ``ModelBackend`` reads the signed-in user on every request and the agency separately
the first time access is checked; this backend reads both in one statement (issue 17: the
fixed cost of every page).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from tarian.agencies.models import User


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: int) -> User | None:
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
