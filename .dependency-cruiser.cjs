/**
 * The borders between Quartermaster's parts, checked in `npm test` (`npm run lint:deps`).
 * Each rule's comment is the one-line reason it exists; docs/architecture.md explains the shape.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one change; load order and tests get fragile.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'context-internals-are-private',
      comment:
        'Contexts meet only through another context’s api.ts (and events on the bus), so each can change its inside alone.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: {
        path: '^functions/([^/]+)/',
        pathNot: ['^functions/$1/', '^functions/shared/', '^functions/[^/]+/api\\.ts$'],
      },
    },
    {
      name: 'kernel-knows-no-context',
      comment:
        'The shared kernel is used by every context, so it may depend on none of them, nor on the deployer or the local runtime.',
      severity: 'error',
      from: { path: '^functions/shared/' },
      to: { path: '^(functions|lib|local|bin|console|test|bench)/', pathNot: '^functions/shared/' },
    },
    {
      name: 'functions-run-without-deployer',
      comment:
        'Lambda code is bundled alone: it must not need the CDK app, the manifest, the local runtime or tests.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(lib/|bin/|local/|test/|bench/|console/)' },
    },
    {
      name: 'core-is-free-of-transport',
      comment:
        'Use cases receive ports; HTTP parsing, Lambda events and SDK clients belong to handlers and adapters.',
      severity: 'error',
      from: { path: ['^functions/[^/]+/core/', '^functions/[^/]+/[^/]+/core/'] },
      to: {
        path: [
          '^functions/shared/(http|clients|event-handler|table)\\.ts$',
          '^functions/[^/]+/(handlers|adapters)/',
          '^functions/[^/]+/[^/]+/(handlers|adapters)/',
          '@middy/',
          '@aws-sdk/',
        ],
      },
    },
    {
      name: 'deployer-reads-published-surfaces',
      comment: 'The manifest and stacks read event definitions and api.ts, never a context’s internals.',
      severity: 'error',
      from: { path: '^lib/' },
      to: {
        path: '^functions/',
        pathNot: ['^functions/[^/]+/api\\.ts$', '^functions/[^/]+/events/', '^functions/shared/'],
      },
    },
    {
      name: 'console-imports-published-types-only',
      comment:
        'The console is a browser bundle: from the server it may take the manifest and the types a context publishes, nothing that runs.',
      severity: 'error',
      from: { path: '^console/' },
      to: {
        path: '^(functions|local|bench|test|bin|lib)/',
        pathNot: ['^functions/[^/]+/api\\.ts$', '^lib/manifest/'],
      },
    },
    {
      name: 'console-takes-api-types-as-types',
      comment: 'A value import of api.ts would ship server code to the browser.',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^functions/[^/]+/api\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve fails at run time, not at build time.',
      severity: 'error',
      from: {},
      // Vite's virtual modules (the console's route table from the manifest) exist only at build time.
      to: { couldNotResolve: true, pathNot: '^virtual:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|dist|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
