"""Child protection plans and their core groups."""
