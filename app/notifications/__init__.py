"""What happened that concerns a person: the inbox, event emails and who hears of what."""
