"""Security headers, login brute-force protection and rate limits around the storefront (README: Production)."""
