"""Initial child protection conferences (CP1), held on the meeting mechanism."""
