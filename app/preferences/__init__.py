"""Which emails each person wants, and one-click unsubscribe."""
