import { dropAllDatabases } from './test-database';

// With TEST_DATABASE=pg (see jest.config.js): the databases a test file made are dropped when it ends.
afterAll(() => dropAllDatabases());
