# Production image: the web server, worker and beat all run from it.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN npm run -s build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CONVENE_ENVIRONMENT=production
# WeasyPrint needs Pango; psycopg2 links to Debian's libpq at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    libpq5 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
# psycopg2 is built from source against that libpq; the compiler and headers are removed in the
# same layer, so the image does not carry them (libpq5 stays: it was installed by name above).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
 && pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock \
 && apt-get purge -y --auto-remove gcc libc6-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*
COPY . .
COPY --from=assets /build/static/build static/build
# Production settings refuse to load without their secrets: throwaway ones, for this step only.
RUN DJANGO_SECRET_KEY=build-only \
    CONVENE_MFA_KEYS="$(python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')" \
    python manage.py collectstatic --no-input \
 && useradd --system --uid 1000 convene \
 && mkdir -p /app/var/files && chown convene /app/var/files
USER convene
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py", "--bind", "0.0.0.0:8000", "--workers", "3"]
