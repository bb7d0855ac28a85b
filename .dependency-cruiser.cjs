/** Keeps the layering honest: interfaces -> app -> domain; store and integrations plug into app. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing from store, integrations, app or interfaces, and no I/O modules.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { path: '^src/(store|integrations|app|interfaces)' },
    },
    {
      name: 'domain-no-io',
      comment: 'Domain code takes file access, the clock and config as arguments.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { dependencyTypes: ['core'], path: '^(fs|node:fs|fs/promises|node:fs/promises|child_process|node:child_process|net|node:net|http|node:http)$' },
    },
    {
      name: 'app-not-interfaces',
      severity: 'error',
      from: { path: '^src/app' },
      to: { path: '^src/interfaces' },
    },
    {
      name: 'adapters-not-app-or-interfaces',
      comment: 'store and integrations are plugged into app; they never reach up.',
      severity: 'error',
      from: { path: '^src/(store|integrations)' },
      to: { path: '^src/(app|interfaces)' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
