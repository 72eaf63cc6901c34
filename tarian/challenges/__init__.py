"""Professional challenge (PC1; issue 21, issue 23): one shared escalation record for a
disagreement with any workflow's decision, escalated tier by tier by the clock until resolved."""
