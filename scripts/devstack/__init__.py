"""`make run`'s local stack: settings, a supervisor of child processes, the stack, the CLI."""
