"""Content: the Pydantic models of the library and the YAML loader."""

from .library import Library, Origin
from .loader import load_library, missing_translations
from .models import (
    AUDIENCES,
    LANGS,
    Audience,
    Dilemma,
    Fact,
    Lang,
    LText,
    MissingTranslation,
    Question,
    Recommendation,
    WorkshopSpec,
)

__all__ = [
    "AUDIENCES",
    "LANGS",
    "Audience",
    "Dilemma",
    "Fact",
    "LText",
    "Lang",
    "Library",
    "MissingTranslation",
    "Origin",
    "Question",
    "Recommendation",
    "WorkshopSpec",
    "load_library",
    "missing_translations",
]
