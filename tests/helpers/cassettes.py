"""Whether this run records cassettes from the real model instead of replaying them.

``SUMMARISER_RECORD=1`` switches every cassette-backed test to record mode; the default is
replay, so the suite runs offline.
"""

from __future__ import annotations

import os

#: True when the cassettes are being re-recorded (``SUMMARISER_RECORD=1``).
RECORDING = os.environ.get("SUMMARISER_RECORD") == "1"
