# ZAS production image: gunicorn web, or `zas worker` with the same image.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      gcc libsnmp-dev snmp libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 zas
WORKDIR /app
COPY pyproject.toml setup.cfg README.md ./
COPY zas ./zas
COPY migrations ./migrations
COPY workers ./workers
COPY wsgi.py ./
RUN pip install --no-cache-dir . && chown -R zas /app
USER zas
ENV ZAS_PRODUCTION=1 PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1
CMD ["gunicorn", "--workers", "4", "--threads", "4", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "wsgi:app"]
