"""Drafts (DEVELOPERS.md: no lost work): what a user has typed into a form, autosaved per
form and subject, listed to resume or discard; the "saved" marker's partial and the discard page.
"""
