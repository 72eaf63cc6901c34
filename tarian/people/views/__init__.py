"""People's pages: search and the record, editing, restriction, matching, duplicates."""
