"""The shared record: children, unborn babies, adults, households, relationships, involvements."""
