"""The one exception of the media helpers, with a message fit for an editor."""


class MediaError(Exception):
    """A file was refused; `message` says why in words an editor understands.

    `line` is set when the fault is at one line of a text file (captions).
    """

    def __init__(self, message, *, line=None, code="invalid"):
        super().__init__(str(message))
        self.message = message
        self.line = line
        self.code = code

    def __str__(self):
        return str(self.message)
