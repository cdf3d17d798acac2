"""Child under special arrangements meetings (CUSAB) chaired or attended by IROs."""
