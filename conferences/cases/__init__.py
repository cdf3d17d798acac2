"""Case records: families, children, their CIN episodes, and the professionals and reference
lists cases name."""
