"""``python -m medusa_payload ...``: the same as the ``medusa-payload`` command."""

from .cli import main

main()
