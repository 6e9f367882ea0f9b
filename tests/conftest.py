"""Shared test configuration: hypothesis profiles.

``HYPOTHESIS_PROFILE`` chooses the profile; without it, ``ci`` is used when the
``CI`` environment variable is set (as it is in CI) and ``dev`` otherwise.
"""

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=100)
settings.register_profile(
    "ci",
    max_examples=400,
    deadline=None,  # shared CI machines stall; a slow example is not a failure
    derandomize=True,  # the same examples on every run, so a red CI is reproducible
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
