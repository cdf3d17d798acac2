"""The annual report: its narrative, work programme, and PDF."""
