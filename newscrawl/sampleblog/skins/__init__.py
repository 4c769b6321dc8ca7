"""Skin registry: name → skin instance (templates as plain f-strings, no engine)."""

from __future__ import annotations

from .base import Skin
from .dkwrap import DkWrap
from .hentry import HEntry
from .magazine import Magazine

SKINS: dict[str, Skin] = {skin.name: skin for skin in (DkWrap(), HEntry(), Magazine())}

__all__ = ["SKINS", "Skin"]
