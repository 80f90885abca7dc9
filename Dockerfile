# The service image used by docker-compose.yml.
FROM node:20-bookworm AS build
WORKDIR /app
# The official image keeps Node's headers under /usr/local (the project's .npmrc points at Debian's /usr).
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/src/ui ./src/ui
COPY package.json ./
VOLUME /data
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
