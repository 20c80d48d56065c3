// Node-RED settings for the head-to-head benchmark: headless (no editor, no admin API), the
// HTTP server (and so the flow's WebSocket endpoint /api/v1/ws) on loopback, port NODE_RED_PORT.
// userDir is given on the command line (-u, a temporary directory).
//
// WebSocket clients must present the fixed token NODE_RED_BENCH_TOKEN (default
// "node-red-bench") as "Authorization: Bearer <token>" or "?access_token=<token>"; anything
// else is refused with HTTP 401 before the upgrade, as the bridge does.
'use strict';

const TOKEN = process.env.NODE_RED_BENCH_TOKEN || 'node-red-bench';

function presentedToken(req) {
  const auth = req.headers.authorization || '';
  if (auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const q = req.url.indexOf('?');
  if (q < 0) return '';
  return new URLSearchParams(req.url.slice(q + 1)).get('access_token') || '';
}

module.exports = {
  uiHost: '127.0.0.1',
  uiPort: Number(process.env.NODE_RED_PORT || 1880),
  httpAdminRoot: false,
  httpNodeRoot: '/',
  disableEditor: true,
  credentialSecret: false,
  flowFilePretty: true,
  functionTimeout: 0,
  functionExternalModules: false,
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false },
  exportGlobalContextKeys: false,
  logging: { console: { level: process.env.NODE_RED_LOG_LEVEL || 'info', metrics: false, audit: false } },
  webSocketNodeVerifyClient: (info) => presentedToken(info.req) === TOKEN,
};
