"""Shared test configuration: hypothesis profiles.

``HYPOTHESIS_PROFILE`` chooses the profile; without it, ``ci`` is used when the
``CI`` environment variable is set (as it is in CI) and ``dev`` otherwise.
"""

import os

from hypothesis import HealthCheck, settings

# Tests never assert wall-clock time (benchmarks/ measure speed), so no deadline
# and no health check that fails a test for being slow to generate data.
_NOT_TIMED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", _NOT_TIMED, max_examples=100)
settings.register_profile(
    "ci",
    _NOT_TIMED,
    max_examples=400,
    derandomize=True,  # the same examples on every run, so a red CI is reproducible
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
