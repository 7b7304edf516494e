"""Many bulletins in one run: worker processes or Dask, skips of unchanged issues."""

from .runner import batch

__all__ = ["batch"]
