"""Subject access (IS4): everything Tarian holds about a person, gathered from a section that
each app contributes, on a page and as an export."""
