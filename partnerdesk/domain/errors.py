"""Errors a person can act on. Every message is one sentence that says what to do next."""


class PartnerdeskError(Exception):
    """An error whose message is fit to show a person as it is."""


class InvalidInput(PartnerdeskError):
    """Something typed or passed in cannot be understood."""


class NotFound(PartnerdeskError):
    """A vendor, contact or interaction named by the user does not exist."""


class AlreadyExists(PartnerdeskError):
    """A name that must be unique is taken."""


class JournalError(PartnerdeskError):
    """The journal file itself cannot be used as asked."""


class JournalBusy(JournalError):
    """Another program holds the journal's write lock."""


class JournalCorrupt(JournalError):
    """The file is damaged or is not a partnerdesk journal."""


class JournalTooNew(JournalError):
    """The file was written by a newer partnerdesk."""


class JournalReadOnly(JournalError):
    """The file or its folder cannot be written."""


class DiskFull(JournalError):
    """The disk holding the journal has no room left."""
