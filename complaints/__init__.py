"""Complaints about the conference process, appeals and agency dissent."""
