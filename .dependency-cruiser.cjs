/**
 * The module boundary rule (STYLE.md): code outside a product module imports only from its api/ folder.
 * Product modules: gateway, bot, booking, slots, notifications. The module file itself (x.module.ts)
 * may be imported where Nest wiring needs it. common/, config/ and infra/ are shared and import no product module.
 */
const MODULES = ['gateway', 'bot', 'booking', 'slots', 'notifications'];

module.exports = {
  forbidden: [
    ...MODULES.map((m) => ({
      name: `no-reach-into-${m}`,
      comment: `Import ${m} only through src/${m}/api/ (or its module file for Nest wiring)`,
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/${m}/` },
      to: { path: `^src/${m}/`, pathNot: [`^src/${m}/api/`, `^src/${m}/${m}\\.module\\.ts$`] },
    })),
    {
      name: 'shared-code-stays-below-modules',
      comment: 'common/, config/ and infra/ must not depend on a product module',
      severity: 'error',
      from: { path: '^src/(common|config|infra)/' },
      to: { path: `^src/(${MODULES.join('|')})/` },
    },
    {
      name: 'no-module-cycles',
      comment:
        'Product modules depend on each other one way only: a port belongs to the module that needs it, implemented by the one that owns the data (no forwardRef)',
      severity: 'error',
      scope: 'folder',
      from: { path: `^src/(${MODULES.join('|')})/?$` },
      to: { path: `^src/(${MODULES.join('|')})/?$`, circular: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      // One regex: dependency-cruiser does not join an array here, so a list never matched anything.
      to: { circular: true, viaOnly: { pathNot: '(\\.module\\.ts$|\\.entity\\.ts$|/api/)' } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
