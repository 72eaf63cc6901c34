"""Telling people things: in-app notifications with an email copy (FD5, break-glass alerts)."""
