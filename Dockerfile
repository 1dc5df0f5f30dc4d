# The API service as an operator runs it: the wheel built from this checkout, installed (not editable)
# into a clean image, run as a numeric non-root user. Neo4j comes from the official image
# (docker-compose.yml). The base is pinned to a patch release; pin its digest too where your registry
# mirror gives you one (`docker buildx imagetools inspect python:3.11.11-slim-bookworm`).
FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml uv.lock README.md ./
COPY graph_api ./graph_api
COPY cypher ./cypher
COPY seed ./seed
COPY neo4j/pom.xml ./neo4j/pom.xml
# The dependencies at the versions and hashes of uv.lock, as `make install` has them (the wheel only states
# ranges); uv pinned as in the Makefile.
RUN mkdir -p /dist && pip install 'uv==0.13.9' \
 && uv export --frozen --no-dev --no-emit-project --quiet -o /dist/requirements.txt \
 && pip wheel --no-deps -w /dist .

FROM python:3.11.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /dist/ /tmp/dist/
RUN pip install --require-hashes -r /tmp/dist/requirements.txt \
 && pip install --no-deps /tmp/dist/graph_api-*.whl && rm -rf /tmp/dist \
 && groupadd --system --gid 10001 api && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/graph-api --create-home api
USER 10001:10001
WORKDIR /var/lib/graph-api
EXPOSE 8000
ENV GRAPH_API_HOST=0.0.0.0 GRAPH_API_PORT=8000 GRAPH_API_STATE_DIR=/var/lib/graph-api
CMD ["graph-api", "serve"]
