"""Server-rendered pages for people. For now: the OAuth sign-in and consent page."""
