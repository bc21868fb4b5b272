"""Settings for the triggers: built once per worker process from the app settings."""

from __future__ import annotations

import functools
import os

from connector.settings import Settings


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    """The validated settings of this function app.

    Raises:
        ConfigurationError: an app setting is missing or invalid (every problem listed).
    """
    return Settings.from_env(os.environ)
