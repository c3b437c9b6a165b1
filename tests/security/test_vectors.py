"""Every attack in the table names tests that exist."""

from __future__ import annotations

import importlib

import pytest

from tests.security.vectors import VECTORS


@pytest.mark.parametrize("attack", sorted(VECTORS))
def test_each_attack_is_replayed_by_tests_that_exist(attack):
    assert VECTORS[attack], attack
    for name in VECTORS[attack]:
        module_name, function = name.split("::")
        module = importlib.import_module(f"tests.security.{module_name}")
        assert callable(getattr(module, function, None)), f"{attack}: {name} is gone"
