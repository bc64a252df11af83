"""Mastodon JSON entities built from rows. Presentation only: no rules, batched loads (no N+1).

Every presenter takes the origin (`https://host`) the client reached us by: URLs in entities
and in stored HTML (kept relative) are made absolute with it.
"""
