"""Meetings are exercised through the strategy workflow's personas and meeting."""

from tests.strategy.conftest import (
    api,
    cru_supervisor,
    gp,
    gp_practice,
    housing,
    housing_officer,
    involved_gp,
    meeting,
    referral,
    referral_data,
    sibling,
)

__all__ = [
    "api", "cru_supervisor", "gp", "gp_practice", "housing", "housing_officer", "involved_gp",
    "meeting", "referral", "referral_data", "sibling",
]
