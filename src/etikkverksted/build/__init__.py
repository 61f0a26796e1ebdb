"""Building packs: one pack (pack), many (batch), the processes they run in (parallel, lifeline)."""
