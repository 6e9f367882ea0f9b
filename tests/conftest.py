"""Shared test configuration: hypothesis profiles.

Every property test takes its number of examples from the profile, never from
a decorator of its own. ``HYPOTHESIS_PROFILE`` chooses the profile; without it,
``dev`` is used, wherever the tests run:

- ``dev``: a quick local run (20 examples a law), so ``pytest`` takes
  a few minutes; every law is still tested.
- ``ci``: the deep run (400 examples a law, the same ones each time), which
  ``.ci/run`` adds with ``HYPOTHESIS_PROFILE=ci pytest``.
"""

import os

from hypothesis import HealthCheck, settings

# Tests never assert wall-clock time (benchmarks/ measure speed), so no deadline
# and no health check that fails a test for being slow to generate data.
_NOT_TIMED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", _NOT_TIMED, max_examples=20)
settings.register_profile(
    "ci",
    _NOT_TIMED,
    max_examples=400,
    derandomize=True,  # the same examples on every run, so a red CI is reproducible
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
