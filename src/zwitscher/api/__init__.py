"""The Mastodon client API: thin routes that parse, check scopes, call services and present."""
