"""The chronology (IS2): one timeline per child, merging significant events from every agency.

Each app contributes its events through one mechanism: a *source* registered here, which turns
that app's own records into ``Event`` rows for a person. Nothing is copied into a second table,
so the chronology can never disagree with the records it summarises. What a viewer sees is
narrowed record by record: each source chooses its records through that kind of record's own
access function, the rule its own page applies, so an event whose record the viewer could not
open is never shown (a role that may read referrals sees only the referrals it may open).
"""
