"""linkedin connector."""
