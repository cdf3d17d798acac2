"""Staff accounts, roles, teams and sign-in."""
