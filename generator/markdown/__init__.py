"""How Markdown becomes safe HTML."""
