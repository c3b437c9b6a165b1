"""The board: a project's tasks as columns by status, cards moved by drag and drop, keys or
buttons, through the same status rule as every other change."""

PUBLIC = ()
