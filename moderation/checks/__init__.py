"""The checks of the moderation pipeline; each returns a list of `moderation.types.Reason`."""
