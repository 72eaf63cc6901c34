"""Documents attached to a person's record (reports, evidence): checked, private, audited."""
