"""The thematic report on challenges and good practice."""
