// The image's HEALTHCHECK: GET /health/live on the port this container's app listens on.
// Exit 0 when it answers 200, else 1. Plain node, so the slim image needs no curl or wget.
'use strict';
const http = require('node:http');

// The port variable and default of each app (apps/<app>/src/config; docker/dockerfile.spec.ts
// checks them against the services' own config loaders).
const PORTS = {
  'ingress-gateway': ['PORT', 3000],
  'schema-discovery': ['SCHEMA_DISCOVERY_PORT', 3001],
  mapping: ['MAPPING_PORT', 3002],
  'journey-trigger': ['JOURNEY_TRIGGER_PORT', 3003],
};

function main() {
  const app = process.env.HOOKLINE_APP ?? '';
  const entry = PORTS[app];
  if (!entry) {
    console.error(`healthcheck: HOOKLINE_APP is '${app}', expected one of ${Object.keys(PORTS).join(', ')}`);
    process.exit(1);
  }
  const [variable, fallback] = entry;
  const port = Number(process.env[variable] || fallback);
  const req = http.get({ host: '127.0.0.1', port, path: '/health/live', timeout: 2000 }, (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', (error) => {
    console.error(`healthcheck: ${error.message}`);
    process.exit(1);
  });
}

if (require.main === module) main();
module.exports = { PORTS };
