"""Allow ``python -m workflow``, the same as the ``l10n`` command."""

import sys

from workflow.cli import main

if __name__ == "__main__":
    sys.exit(main())
