"""The front door: referrals from every agency, Gateway decisions, feedback (FD1-FD5)."""
