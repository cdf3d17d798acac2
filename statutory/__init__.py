"""Statutory returns: the CIN census export, import and checks, and Ofsted's Annex A."""
