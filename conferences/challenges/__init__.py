"""Practice challenges raised by IROs, and good practice noted."""
