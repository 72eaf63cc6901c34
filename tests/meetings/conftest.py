"""A meeting's pages use the strategy personas: a strategy discussion opened by a Gateway
decision about a child the school and a GP practice work with."""

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

__all__ = ["api", "cru_supervisor", "gp", "gp_practice", "housing", "housing_officer",
           "involved_gp", "meeting", "referral", "referral_data", "sibling"]
