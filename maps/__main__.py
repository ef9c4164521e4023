"""``python -m maps``: the sitmap command line."""

from .cli import main

raise SystemExit(main())
