"""Local development: DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .env import env_bool
from .mail import CONSOLE, email_configured

DEBUG = env_bool("DEBUG", True)

# E-mails are printed in the server's output unless the environment names a mail server.
if not email_configured():
    EMAIL_BACKEND = CONSOLE
