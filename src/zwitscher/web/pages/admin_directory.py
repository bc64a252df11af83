"""The administration console › directory."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
