"""Parameter models of the methods notebooks (registered with perfkit.run.params.register)."""
from __future__ import annotations
