__version__ = '0.14.0'
short_version = __version__


def parse_version_info(version_str):
    """Parse a version string into a tuple of ints (and a trailing tag).

    Args:
        version_str (str): e.g. ``'0.14.0'`` or ``'0.14.0rc1'``.

    Returns:
        tuple: e.g. ``(0, 14, 0)`` or ``(0, 14, 0, 'rc1')``.
    """
    version_info = []
    for part in version_str.split('.'):
        if part.isdigit():
            version_info.append(int(part))
        elif 'rc' in part:
            number, tag = part.split('rc')
            version_info.append(int(number))
            version_info.append(f'rc{tag}')
    return tuple(version_info)


version_info = parse_version_info(__version__)
