"""The errors the API answers with: a status and one sentence, never a stack trace."""


class ApiError(Exception):
    """Answered as {"detail": message} with the status (and any headers)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
