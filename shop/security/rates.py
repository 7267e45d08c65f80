"""The rate-limit groups and their default rates (per client IP): read by the settings, which check
OCOP_RATE_LIMITS against them at start, and by shop/security/ratelimits.py. No Django imports: settings load it."""

import re

DEFAULT_RATES = {
    "register": "10/h",
    "password-reset": "5/h",
    "live-reminder": "20/h",
    "complaint": "10/h",
}
RATE = re.compile(r"[1-9][0-9]*/[1-9]?[0-9]*[smhd]")  # django-ratelimit's "count/period": 10/h, 5/15m
