"""Append-only audit of every read and write of person-linked data (IS4); versions (IS3)."""
