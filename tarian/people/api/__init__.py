"""People's endpoints (API contract): records, involvements, matching, duplicates and merges."""
