"""The administration console › instance."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
