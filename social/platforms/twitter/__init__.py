"""twitter connector."""
