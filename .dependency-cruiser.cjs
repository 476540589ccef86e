/**
 * Slipway's layers, checked by `npm run lint:deps` (part of `npm test`).
 * The README's "Architecture" section states the same rules in words.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: split the shared part out.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'dynamodb-only-in-store',
      severity: 'error',
      comment:
        'Table access lives in functions/store (named functions over key formats it alone knows). ' +
        'The simulated cloud (connectors/sim) and the local runner (infra/local) keep their own items with their own key modules; ' +
        'functions/commons/clients.ts builds the one client.',
      from: { path: '^(functions|connectors|infra)/', pathNot: '^(functions/store/|functions/commons/clients\\.ts$|connectors/sim/|infra/local/)' },
      to: { path: '@aws-sdk/(client-dynamodb|lib-dynamodb)' },
    },
    {
      name: 'store-keys-only-in-store',
      severity: 'error',
      comment: 'Key formats have one home: functions/store/keys.ts, used by store functions only.',
      from: { path: '^', pathNot: '^functions/store/' },
      to: { path: '^functions/store/keys\\.ts$' },
    },
    {
      name: 'connectors-not-on-http-or-domain-errors',
      severity: 'error',
      comment: 'Connectors speak the connector contract: no HTTP layer, no HTTP-mapped domain errors (the registry throws its own).',
      from: { path: '^connectors/' },
      to: { path: '^functions/(http/|domain/errors\\.ts$)' },
    },
    {
      name: 'steps-schedules-runs-not-on-routes',
      severity: 'error',
      comment: 'Steps, schedules, run and billing logic never import route files (functions/http/api, kit); schemas are fine.',
      from: { path: '^functions/(steps|schedules|runs|billing|domain|store)/' },
      to: { path: '^functions/http/(api|kit)/' },
    },
    {
      name: 'handlers-not-on-local-runner',
      severity: 'error',
      comment:
        'No handler knows it runs locally or how it is deployed: functions/ and connectors/ import nothing from infra/ ' +
        'but the state machine names they share with the definitions (infra/state-machines).',
      from: { path: '^(functions|connectors)/' },
      to: { path: '^infra/', pathNot: '^infra/state-machines/(state-names|task-functions)\\.ts$' },
    },
    {
      name: 'clients-over-http-only',
      severity: 'error',
      comment:
        'The CLI (and the scripts built on it) talk to Slipway over its HTTP API only: no handler, store, connector, ' +
        'local runner or AWS SDK; the API schemas (functions/schemas) are fine, for types.',
      from: { path: '^(cli|scripts|bin)/' },
      to: { path: '^(functions/(?!schemas/)|connectors/|infra/|@aws-sdk/)' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'functions/domain is plain logic: no store, no SDK, no connectors beyond the contract and its error names.',
      from: { path: '^functions/domain/' },
      to: { path: '^(functions/(store|steps|schedules|runs|http)/|@aws-sdk/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
