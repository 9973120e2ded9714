from __future__ import annotations

import pytest

# Detailed assertion messages from the shared helpers too.
pytest.register_assert_rewrite("tests.reliability.helpers", "tests.reliability.oracle")
