"""tiktok connector."""
