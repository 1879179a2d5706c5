"""Parameter models of the cycle notebooks (registered with perfkit.run.params.register)."""
from __future__ import annotations
