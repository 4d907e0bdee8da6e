import type { ContextManifest } from './types.ts';

/** Platform: health, the event journal, local-only simulation endpoints. */
export const platform: ContextManifest = {
  functions: {
    health: {
      entry: 'functions/platform/handlers/health.ts',
      description: 'GET /health: 200 only when the table, the bus and the workflow runner answer',
      table: 'R',
      probesHealth: true,
    },
    recordEvent: {
      entry: 'functions/platform/handlers/record-event.ts',
      urgency: 'bookkeeping',
      description: 'Journals every qm.* event so ops can trace what happened to an entity',
      table: 'RW',
    },
    listAudit: {
      entry: 'functions/platform/handlers/list-audit.ts',
      description: 'GET /api/audit: the immutable audit trail of API commands',
      table: 'R',
    },
    listEvents: {
      entry: 'functions/platform/handlers/list-events.ts',
      description: 'GET /api/events: the event journal, newest first, filterable by type and subject',
      table: 'R',
    },
  },
  routes: [
    { method: 'GET', path: '/health', fn: 'health', auth: { public: 'health' } },
    // The local runtime's own endpoints (never deployed; see local/http-server.ts).
    { method: 'POST', path: '/local/events', runtime: 'put-events', auth: { public: 'local-only' } },
    { method: 'GET', path: '/local/events', runtime: 'list-events', auth: { public: 'local-only' } },
    {
      method: 'GET',
      path: '/local/dead-letters',
      runtime: 'list-dead-letters',
      auth: { public: 'local-only' },
    },
    {
      method: 'GET',
      path: '/local/auth/.well-known/jwks.json',
      runtime: 'signing-keys',
      auth: { public: 'local-only' },
    },
    { method: 'POST', path: '/local/auth/token', runtime: 'issue-token', auth: { public: 'local-only' } },
    {
      method: 'GET',
      path: '/local/workflows/executions',
      runtime: 'list-executions',
      auth: { public: 'local-only' },
    },
    {
      method: 'GET',
      path: '/api/events',
      fn: 'listEvents',
      auth: { roles: ['admin', 'supervisor', 'inventory-controller', 'customer-service', 'finance'] },
    },
    {
      method: 'GET',
      path: '/api/audit',
      fn: 'listAudit',
      auth: { roles: ['admin', 'supervisor', 'finance'] },
    },
  ],
  rules: [
    {
      name: 'journal-all-events',
      description: 'Every Quartermaster event goes to the event journal',
      pattern: { source: [{ prefix: 'qm.' }] },
      // Through a queue, 25 events per invocation (one BatchWriteItem): a burst of orders costs
      // the journal one write call per 25 events instead of one invocation and write per event.
      target: { fn: 'recordEvent', batch: { size: 25, windowSeconds: 1 } },
    },
  ],
};
