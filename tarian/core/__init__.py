"""Pieces every app shares: base models that carry who and when, and text folding."""
