"""What every browser test shares: the demo data, a page that may not leave the live server, screenshots."""

import pytest
from django.core.management import call_command

from tests.support.browser import watch


@pytest.fixture
def demo(transactional_db):
    # Transactional tests empty the database afterwards; the demo loader rebuilds everything it needs.
    call_command("load_demo_data", verbosity=0)


@pytest.fixture
def offline(live_server):
    """Install on a page or context: requests to anywhere but the live server are aborted and listed here.
    Server errors and JavaScript errors are listed too."""
    problems = {"external": [], "server_errors": [], "js_errors": []}

    def install(target):
        def route(route):
            url = route.request.url
            if url.startswith(live_server.url):
                route.continue_()
            else:
                problems["external"].append(url)
                route.abort()

        target.route("**", route)
        if hasattr(target, "goto"):  # a page
            watch(target, problems)
        else:  # a browser context: each page it opens
            target.on("page", lambda page: watch(page, problems))
        return target

    install.problems = problems
    return install
