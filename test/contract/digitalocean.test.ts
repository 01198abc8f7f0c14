import { contractSuite } from './suite.js';
import { DIGITALOCEAN } from './targets.js';

contractSuite(DIGITALOCEAN);
