import { contractSuite } from './suite.js';
import { HETZNER } from './targets.js';

contractSuite(HETZNER);
