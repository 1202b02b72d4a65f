"""mastodon connector."""
