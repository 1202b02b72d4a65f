"""Data portability: a team's posts, schedules, analytics and metadata out (JSON, CSV, XML) and
posts back in from our CSV or Buffer-, Hootsuite- and Postiz-style files (see docs/portability.md).

It reads posts, schedules and analytics together, so it lives in the top app of the import order.
"""
