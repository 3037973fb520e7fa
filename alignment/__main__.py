"""``python -m alignment``: see :mod:`alignment.cli`."""

from alignment.cli import main

raise SystemExit(main())
