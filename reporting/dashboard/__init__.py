"""The managers' dashboard: its pages, the choice of period and scope, the XLSX workbook, and
the tables counted ahead of the managers."""
