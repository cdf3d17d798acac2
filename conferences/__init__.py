"""Children, families, conferences, invitations, outcomes, plans and challenges."""
