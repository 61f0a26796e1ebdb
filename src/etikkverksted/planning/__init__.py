"""Planning: tailoring a workshop to audience, maturity, duration, format and language."""

from .model import Segment, WorkshopPlan
from .planner import plan_workshop

__all__ = ["Segment", "WorkshopPlan", "plan_workshop"]
