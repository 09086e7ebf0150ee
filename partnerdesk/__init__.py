"""partnerdesk: a private journal of a channel rep's vendor relationships."""

__version__ = "0.1.0"
APP_NAME = "partnerdesk"
