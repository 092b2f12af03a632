# syntax=docker/dockerfile:1
# kube-event-router: runs the TypeScript sources through tsx (a runtime dependency), so there is
# no compile step; the build stage only resolves production dependencies.
#
#   docker build -t kube-event-router .
#   docker run --read-only --tmpfs /tmp -v "$PWD/config.yaml:/etc/kube-event-router/config.yaml:ro" \
#     -p 2112:2112 kube-event-router
#
# The project supports Node >= 20.19; the image uses an LTS line. Override with
# --build-arg NODE_IMAGE=... (pin a digest in production: node:22-bookworm-slim@sha256:...).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs an install script (esbuild ships prebuilt binaries).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force

FROM ${NODE_IMAGE}
# tzdata: templates load time zones from /usr/share/zoneinfo as Go's time.LoadLocation does.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOME=/tmp
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json config.example.yaml ./
COPY bin ./bin
COPY src ./src
# The sources stay root-owned and read-only to the process; it writes only to /tmp (tsx's
# compile cache; optional) and the dead-letter path, both volumes in manifests/deployment.yaml.
RUN mkdir -p /var/lib/kube-event-router/dead-letter \
    && chown 65532:65532 /var/lib/kube-event-router/dead-letter
VOLUME ["/tmp", "/var/lib/kube-event-router/dead-letter"]
USER 65532:65532
EXPOSE 2112
ENTRYPOINT ["node", "bin/kube-event-router"]
CMD ["run", "-c", "/etc/kube-event-router/config.yaml"]
