"""The ASGI entry point for uvicorn (`zwitscher.asgi:app`), configured from the environment."""

from zwitscher.app import create_app

# `serve` has applied migrations already; each web process must not race to do it again.
app = create_app(migrate=False)
