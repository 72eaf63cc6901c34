"""Drafts: what a user has typed into a form, autosaved so that nothing is lost (issue 3)."""
