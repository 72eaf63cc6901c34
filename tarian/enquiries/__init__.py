"""Section 47 enquiries (issue 21; EQ1, EQ2, SM7, VC1)."""
