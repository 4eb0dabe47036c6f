"""Structural checks for the exchange files vi2en writes (see `structure.py`)."""

from vi2en.formats.schemas.structure import check_tmx14, check_xliff12, check_xliff21

__all__ = ["check_tmx14", "check_xliff12", "check_xliff21"]
