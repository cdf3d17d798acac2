"""Booking conferences, inviting agencies, recording reports and attendance; the clerk's and
chair's trays."""
