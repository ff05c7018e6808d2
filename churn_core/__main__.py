"""``python -m churn_core``: see :mod:`churn_core.cli`."""

from churn_core.cli import main

raise SystemExit(main())
