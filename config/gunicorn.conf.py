"""gunicorn's settings for the production shape (Dockerfile, docker-compose.yml): `gunicorn -c config/gunicorn.conf.py`.

The access log goes to stdout, except for the pages where employees answer anonymously: a log line's
time, address and browser beside a submission could tell who gave it (intranet feedback, the pulse).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
logger_class = "config.gunicorn_logging.PrivateAccessLogger"
