"""Writes of the social app, one module per concern: accounts and tokens, OAuth, publishing,
posting budgets, pre-publish checks, media and metrics."""
