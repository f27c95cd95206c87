// Unit tests live next to the code (src/**/*.spec.ts); e2e and integration tests in test/.
const swc = JSON.parse(require('fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
    // content-disposition 3 (via @fastify/static) ships ESM only; Node 20.19+ require()s it, jest's loader needs CJS.
    '^.+/node_modules/content-disposition/.+\\.js$': ['@swc/jest', { swcrc: false, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  testTimeout: 30000,
  // TEST_DATABASE=pg (npm run test:pg): each app on its own PostgreSQL database, dropped when its file ends.
  setupFilesAfterEnv: process.env.TEST_DATABASE === 'pg' ? ['<rootDir>/test/support/pg-databases.setup.ts'] : [],
  maxWorkers: 2,
  // On a loaded 2-core machine a worker holding Nest apps and native modules can take over jest's 500 ms to exit.
  workerGracefulExitTimeout: 5000,
};
