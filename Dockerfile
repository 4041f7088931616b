# The production image: gunicorn web, Celery worker and beat all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# WeasyPrint (the quarterly reports' PDF) draws text with pango; DejaVu is its font.
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time and served by whitenoise.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-runtime-secret python manage.py collectstatic --noinput \
 && useradd --create-home --uid 1000 rapport \
 && mkdir -p /app/var/media /var/lib/rapport && chown -R rapport /app/var /var/lib/rapport
USER rapport

EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
