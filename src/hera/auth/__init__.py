"""Authentication helpers: token generators that `global_config.token` can call when a service is created."""

from __future__ import annotations

from hera.auth._token_generator import ArgoCLITokenGenerator, TokenGenerationError, TokenGenerator

__all__ = ["ArgoCLITokenGenerator", "TokenGenerationError", "TokenGenerator"]
