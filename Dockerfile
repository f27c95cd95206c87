# Single image: the NestJS app; Redis and (optionally) PostgreSQL run beside it (docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TZ=UTC
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The sandbox chat page (served only without BOT_TOKEN).
COPY --from=build /app/static ./static
COPY package.json ./
RUN mkdir -p data && chown node:node data
USER node
# Fails the build if the image would run as root.
RUN test "$(id -u)" -ne 0
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--min-semi-space-size=16", "--no-allocation-site-pretenuring", "--max-old-space-size=160", "dist/src/main.js"]
