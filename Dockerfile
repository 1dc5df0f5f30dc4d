# The API service; Neo4j comes from the official image (docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
COPY pyproject.toml README.md ./
COPY graph_api ./graph_api
COPY seed ./seed
COPY cypher ./cypher
COPY schema.graphql ./
RUN pip install -e . && useradd --system --uid 10001 api
USER api
EXPOSE 8000
ENV GRAPH_API_HOST=0.0.0.0 GRAPH_API_PORT=8000
CMD ["graph-api", "serve"]
