"""Size limits shared by every stage, so that a file is "too large" for the same reason
everywhere."""

from __future__ import annotations

#: Files above this size are not given to the licence detector ("too large").
MAX_FILE_SIZE = 5 * 1024 * 1024

#: Seconds of detection each file may take by default (`--timeout`); a file that runs out is
#: recorded as not fully checked, with this budget.
DETECTION_BUDGET = 120.0

#: Declaration files (manifests, publiccode.yml, REUSE.toml, dep5, `.license` sidecars) are
#: small; one above this size is refused rather than read whole.
MAX_DECLARATION_BYTES = 2_000_000
