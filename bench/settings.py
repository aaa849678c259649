"""The portal's settings with the benchmark's URLs; everything else as deployed."""

from ankommen.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
