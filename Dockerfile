# nablagrade: one image for web, worker and beat (docs/operations.md, "Docker").
#   docker build -t nablagrade .
#   docker compose up           # web, worker, services worker, beat, redis, postgres
# The role is the first argument: web | worker | services | beat | migrate (scripts/docker-entrypoint.sh).

# ---- build: a virtualenv with CPU-only torch and the project -------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# The CPU wheel index: the default PyPI wheel of torch pulls in ~3 GB of CUDA libraries.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY graders graders
COPY assignments assignments
COPY app app
COPY worker worker
# constraints.txt: the Celery stack at the versions the fault tests passed with.
RUN pip install -c constraints.txt .

# ---- runtime ----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
# bubblewrap + libseccomp: the sandbox that runs student code (graders/sandbox);
# util-linux gives setpriv; curl is for the HEALTHCHECK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap libseccomp2 util-linux curl \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 nablagrade \
 && useradd --system --uid 10001 --gid nablagrade --home-dir /srv/nablagrade --shell /usr/sbin/nologin nablagrade
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/nablagrade
COPY --chown=root:root migrations migrations
COPY --chown=root:root assignments assignments
COPY --chown=root:root app app
COPY --chown=root:root worker worker
COPY --chown=root:root graders graders
COPY --chown=root:root scripts/docker-entrypoint.sh /usr/local/bin/nablagrade-entrypoint
# Code is root-owned and read-only to the service user; only instance/ (secret key, beat schedule) is writable.
RUN mkdir -p /srv/nablagrade/instance && chown nablagrade:nablagrade /srv/nablagrade/instance \
 && chmod 0755 /usr/local/bin/nablagrade-entrypoint
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    OPENBLAS_NUM_THREADS=1 \
    FLASK_APP=app \
    NABLAGRADE_INSTANCE=/srv/nablagrade/instance \
    NABLAGRADE_ASSIGNMENTS_DIR=/srv/nablagrade/assignments \
    NABLAGRADE_CACHE_DIR=/srv/nablagrade/instance/references
USER nablagrade
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["sh", "-c", "[ \"$NABLAGRADE_ROLE\" != web ] || curl -fsS http://127.0.0.1:5000/healthz >/dev/null"]
ENTRYPOINT ["nablagrade-entrypoint"]
CMD ["web"]
