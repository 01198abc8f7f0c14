import { controlPlaneSuite } from './suite.js';
import { sqliteFactory } from './helpers.js';

controlPlaneSuite('SQLite', sqliteFactory, false);
