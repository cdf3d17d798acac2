"""Referrals to the advocacy service and the advocate's work."""
