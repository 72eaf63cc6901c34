"""The matcher (FD6, issue "Matching engine"): is this child already known to any agency?

``engine.find_matches`` answers a query with candidates, each with a calibrated match
probability, a decision and its reasons; ``answers.match_for`` applies the sharing rules and
audits what a user is shown; ``keys`` maintains the blocking keys; ``train`` estimates the
weights by expectation-maximisation; ``dedupe`` finds likely duplicates in the register.
"""
