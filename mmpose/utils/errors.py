"""The exception raised when an argument or a config value fails a check."""


class ArgumentError(ValueError, AssertionError):
    """An argument (or config value) that fails a check.

    MMPose 0.14 checked most arguments with ``assert``, so code written for
    it catches ``AssertionError`` (``pytest.raises(AssertionError)``,
    ``except AssertionError``); newer code expects ``ValueError``. This
    exception is both, and unlike a bare ``assert`` it is raised with
    ``python -O`` too. The message names the argument, what was expected
    and what was given.

    Example:
        >>> try:
        ...     raise ArgumentError('num_stages must be >= 1, got 0')
        ... except AssertionError as err:
        ...     print(err)
        num_stages must be >= 1, got 0
    """


def check(condition, message):
    """Raise :class:`ArgumentError` with ``message`` unless ``condition``.

    Args:
        condition (bool): What must hold.
        message (str): Names the argument, what was expected and what was
            given.

    Raises:
        ArgumentError: If ``condition`` is false.
    """
    if not condition:
        raise ArgumentError(message)
