"""One mechanism for every kind of meeting (issue 21; SM1 to SM6): invitations, decisions,
dissents, addenda, minutes and their circulation."""
