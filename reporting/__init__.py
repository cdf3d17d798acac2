"""Dashboards, tables, charts, the annual report and the audit trail for managers."""
