"""Fixtures for the security tests: two teams, A and B, with one of every object each."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Factory
from tests.security.world import World, build_world


@pytest.fixture
def world(app: Flask, make: Factory) -> World:
    return build_world(app, make)
