"""The conference record: the Signs of Safety entries, decisions, sign-off, release and
copies."""
