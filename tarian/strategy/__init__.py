"""Strategy discussions and meetings (issue 21; SM1 to SM7), on the shared meeting mechanism."""
