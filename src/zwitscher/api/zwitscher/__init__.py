"""Zwitscher's own API (`/api/zwitscher/v1/...`): what organisations need beyond Mastodon."""
