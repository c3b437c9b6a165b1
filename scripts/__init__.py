"""Developer tooling; `python -m scripts.devstack` is `make run`."""
