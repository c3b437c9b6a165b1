"""Comments on tasks, @mentions and watchers."""
