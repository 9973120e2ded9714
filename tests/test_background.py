from __future__ import annotations

import asyncio
import logging

import pytest

from ghostls.background import Background


async def test_a_task_is_held_until_it_ends() -> None:
    background = Background()
    release = asyncio.Event()
    task = background.spawn(release.wait())
    assert len(background) == 1
    release.set()
    await task
    await asyncio.sleep(0)
    assert len(background) == 0


async def test_a_failure_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def fail() -> None:
        raise ValueError("broken")

    background = Background()
    task = background.spawn(fail())
    with caplog.at_level(logging.ERROR, logger="ghostls.background"):
        await asyncio.wait({task})
        await asyncio.sleep(0)
    assert "broken" in caplog.text
    assert len(background) == 0


async def test_cancel_ends_every_task() -> None:
    background = Background()
    tasks = [background.spawn(asyncio.Event().wait()) for _ in range(2)]
    background.cancel()
    await asyncio.wait(tasks)
    assert all(task.cancelled() for task in tasks)
    assert len(background) == 0
