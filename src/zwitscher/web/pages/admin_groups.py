"""The administration console › groups."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
