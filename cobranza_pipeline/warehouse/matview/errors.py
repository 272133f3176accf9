"""The ways a refresh fails on purpose, each with a message that says why."""


class RefreshError(RuntimeError):
    """A refresh that failed for a reason stated in the message; the previous MV is intact."""


class RefreshLockBusy(RefreshError):
    """Another refresh of the same MV held the advisory lock for longer than we wait."""
