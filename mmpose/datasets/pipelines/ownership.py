"""Which images only the running pipeline holds.

A step that creates an image (decoding, ``ToTensor``) marks it as owned; a
later step may then modify it in place instead of writing a new image-sized
array, which saves the allocation and, above all, the cache misses of a
second buffer. Images that came from elsewhere (a caller's array, a
dataset's in-memory cache) are never marked and never modified.

Keep a copy of a marked image if you call steps one by one and need it
unchanged after the next step.
"""
import weakref

# id -> object, dropped when the object dies (no id reuse confusion: the
# entry goes with its object, and a lookup checks identity).
_OWNED = weakref.WeakValueDictionary()


def mark_owned(img):
    """Mark ``img`` (np.ndarray | torch.Tensor) as held only by the
    pipeline; returns it."""
    _OWNED[id(img)] = img
    return img


def is_owned(img):
    """Whether ``img`` was marked by :func:`mark_owned`."""
    return _OWNED.get(id(img)) is img


def release(img):
    """Unmark ``img`` (it is handed on and may be held elsewhere)."""
    _OWNED.pop(id(img), None)
