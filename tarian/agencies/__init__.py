"""Agencies, teams, users, roles and the sharing rules that decide who sees what (IS1)."""
