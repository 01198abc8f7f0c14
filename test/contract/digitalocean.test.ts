import { target } from '../providers/digitalocean/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
