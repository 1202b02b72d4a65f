"""Database and media backups to storage, with a manifest that proves a restore is complete.

core must not import higher apps, so every table is found through `django.apps`.
"""
