"""``python -m medusa_payload.testing serve``: the fakes over HTTP."""

import sys

from ._serve import main

sys.exit(main())
