"""One base for refusals a person can act on: views catch it and show its message; nothing was written."""


class ActionRefused(Exception):
    pass
