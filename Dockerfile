FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY schema.graphql /src/schema.graphql
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend/ backend/
COPY gateway/ gateway/
RUN pip install --no-cache-dir .
COPY --from=web /src/frontend/dist frontend/dist
ENV DATA_DIR=/data BIND_HOST=0.0.0.0
VOLUME /data
EXPOSE 8000 15432 13306
CMD ["metricsql", "serve"]
