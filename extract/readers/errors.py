"""The one exception a reader raises for input it cannot read."""


class ReaderError(Exception):
    """The file cannot be read; the message says why in words a user understands."""
