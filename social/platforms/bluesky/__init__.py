"""bluesky connector."""
