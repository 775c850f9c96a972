"""The one exception type ganbook raises for user-facing mistakes.

Every message is a single line that says what went wrong and how to fix it,
so the command line can print it without a traceback.
"""


class GanbookError(Exception):
    """A mistake the user can fix: the message names the fix."""


class ProfileError(GanbookError):
    """An unknown or unusable run profile."""


class DataError(GanbookError):
    """An unknown data set, or one that cannot be had offline."""


class CheckpointError(GanbookError):
    """A checkpoint that is missing, corrupted or does not match its manifest."""


class TrainingDiverged(GanbookError):
    """A loss or a parameter became NaN or infinite during training."""
