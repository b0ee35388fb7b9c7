"""The WSGI entry point for production servers: ``gunicorn -c deploy/gunicorn.conf.py core.wsgi:app``."""
from core.app import create_app

app = create_app()
