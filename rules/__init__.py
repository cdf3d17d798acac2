"""The service's case rules, each in one place, in Python and (where figures count by it) in SQL.

Views, figures, Annex A and the census call these; nothing works a rule out again elsewhere.
"""
