import uuid


class RequestIdMiddleware:
    """Every request gets an id (the proxy's X-Request-ID when it sends a sane one), echoed in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if given.isascii() and 8 <= len(given) <= 64 and given.replace("-", "").isalnum() \
            else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response
