"""The chronology (IS2): one timeline per child, merging significant events from every agency.

Each app contributes its events through one mechanism: a *source* registered here, which turns
that app's own records into ``Event`` rows for a person. Nothing is copied into a second table,
so the chronology can never disagree with the records it summarises. What a viewer sees is
narrowed by the same sharing rules as everything else: each event names the kind of record it
comes from, and only kinds the viewer may read are shown.
"""
