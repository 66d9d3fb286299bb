import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# After the application is loaded (each gunicorn worker imports this module): see the docstring.
from tawasul.core.startup import freeze_loaded_objects  # noqa: E402

freeze_loaded_objects()
