"""Repositories: every SQL statement of Zwitscher. They never commit; the unit of work does."""
