"""The parent and agency questionnaires: links, kiosk and answers."""
