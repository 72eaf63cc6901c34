"""Tarian: one shared record and workflow for multi-agency child protection."""

__version__ = "0.1.0"
