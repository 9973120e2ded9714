"""The demo's pieces that need no server: where suggestions come from, what it types, what
the screen shows."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from types import SimpleNamespace

from ghostls.replay.demo import LiveScreen, default_file, demo_regions, find_endpoint
from ghostls.replay.options import add_demo_arguments


def args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_demo_arguments(parser)
    return parser.parse_args(list(argv))


def test_without_an_endpoint_the_model_is_simulated_and_says_so() -> None:
    endpoint = find_endpoint(args(), {})
    assert not endpoint.real
    assert "SIMULATED" in endpoint.description
    assert "no API key" in endpoint.description
    assert "cerebras" in endpoint.description


def test_an_endpoint_from_the_environment_or_the_command_line_is_used() -> None:
    assert find_endpoint(args(), {"GHOSTLS_BASE_URL": "http://127.0.0.1:9/v1"}).real
    assert find_endpoint(args(), {"GHOSTLS_PROVIDER": "cerebras"}).real
    endpoint = find_endpoint(args("--base-url", "http://localhost:11434/v1"), {})
    assert endpoint.real
    assert endpoint.base_url == "http://localhost:11434/v1"


def test_the_default_file_is_a_standard_library_module_with_code_to_type() -> None:
    path = default_file()
    assert path.suffix == ".py"
    first = next(demo_regions(path, seed=0))
    assert first.path == str(path)
    assert first.last_line - first.first_line >= 6


def test_a_small_file_still_gives_something_to_type(tmp_path: Path) -> None:
    path = tmp_path / "tiny.py"
    path.write_text("def double(x):\n    y = x * 2\n    return y\n" + "# padding\n" * 200)
    regions = list(demo_regions(path, seed=0))
    assert regions
    assert regions[0].lines == ["    y = x * 2", "    return y"]


def test_the_live_screen_redraws_in_place() -> None:
    out = io.StringIO()
    screen = LiveScreen(out, find_endpoint(args(), {}), 20.0, lambda: 0)

    empty = SimpleNamespace(
        region=None, truth=None, keys=[], started_at=None, shown_item=None, accepted_spans=[]
    )
    screen.draw(empty)  # type: ignore[arg-type]
    screen.draw(empty)  # type: ignore[arg-type]
    text = out.getvalue()
    assert f"\x1b[{screen.height}F" in text
    assert "ghostls demo" in text
