"""Zwitscher: self-hosted microblogging for organisations, Mastodon-compatible."""

__version__ = "0.1.0"
