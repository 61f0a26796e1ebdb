"""After the workshop: the outcome read from filled minutes, and what is made from it.

``harvest_minutes`` reads a filled minutes document (:mod:`.harvest`) into an
:class:`Outcome` (:mod:`.model`); the follow-up workshop is planned from an outcome
(:mod:`etikkverksted.planning`); DFD's anonymous overview across agencies is computed by
:mod:`.summary`.
"""

from __future__ import annotations

from .harvest import harvest_minutes
from .model import Outcome

__all__ = ["Outcome", "harvest_minutes"]
