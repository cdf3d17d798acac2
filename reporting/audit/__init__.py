"""The audit trail, read through the records' own scoping."""
