from csp.middleware import CSPMiddleware


class StorefrontCSPMiddleware(CSPMiddleware):
    """The enforced policy on the storefront; the back offices get it report-only."""
