# syntax=docker/dockerfile:1
# Styringsbot production image: slim Python, a non-root user, migrations applied at every start.
# Build: docker build -t styringsbot .   Run: see docs/deploy.md (needs APP_ID, APP_PASSWORD, DATABASE_URL, ...).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The Plan A plakat is a PDF made by WeasyPrint, which needs Pango, HarfBuzz and a font (see the Makefile's `pango`).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, from pyproject.toml's pinned list, so that a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself (.dockerignore keeps secrets, databases, tests and tooling out).
COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info \
    && groupadd --system --gid 10001 styringsbot \
    && useradd --system --uid 10001 --gid styringsbot --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin styringsbot \
    && mkdir -p /app/data \
    && chown styringsbot:styringsbot /app/data

USER 10001:10001

# Inside a container the bot listens on all interfaces. Production sets DATABASE_URL to PostgreSQL; the SQLite
# default below is only for a single-instance trial with a volume mounted on /app/data.
ENV HOST=0.0.0.0 \
    PORT=3978 \
    DATABASE_URL=sqlite+aiosqlite:////app/data/styringsbot.db
EXPOSE 3978

# The slim image has no curl; Python's urllib fails (non-zero exit) on anything but a 2xx answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3978'), timeout=4)"

CMD ["sh", "scripts/start.sh"]
