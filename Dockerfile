# The web app is built with the Node version the README states (its locked dependencies need it).
FROM node:22-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY schema.graphql /src/schema.graphql
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
WORKDIR /app
# Every Python package (the build backend too) comes from the hashed runtime lock, so the image
# holds the same bytes as every other install; the project is then added without resolving.
COPY requirements-runtime.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY backend/ backend/
COPY gateway/ gateway/
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
 && useradd --system --uid 10001 --home-dir /data metricsql \
 && mkdir -p /data && chown metricsql /data
COPY --from=web /src/frontend/dist frontend/dist
ENV DATA_DIR=/data BIND_HOST=0.0.0.0 LOG_FORMAT=json
USER metricsql
VOLUME /data
EXPOSE 8000 15432 13306
# SIGTERM drains open wire sessions for up to SHUTDOWN_GRACE_SECONDS (docs/operations.md).
STOPSIGNAL SIGTERM
CMD ["metricsql", "serve"]
