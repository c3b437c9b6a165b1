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
        # "module::test" is in tests/security; "package.module::test" elsewhere under tests/.
        package = "tests" if "." in module_name else "tests.security"
        module = importlib.import_module(f"{package}.{module_name}")
        assert callable(getattr(module, function, None)), f"{attack}: {name} is gone"
