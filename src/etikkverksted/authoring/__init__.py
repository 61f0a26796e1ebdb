"""Authoring aids for content writers: nynorsk drafts (Apertium) and spelling (hunspell)."""
