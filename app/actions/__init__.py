"""One-purpose action links in emails (mark done, remind me tomorrow)."""
