import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Every URL pattern and view imported now, once: in gunicorn's master (preload_app), before it
# forks the workers.
import_module(settings.ROOT_URLCONF)
# What start-up made lives as long as the process. Frozen, it is left out of the garbage
# collector's full collections, which otherwise walk it every few requests (a tenth of the
# heaviest pages' time), and the forked workers keep sharing its memory pages.
gc.freeze()
