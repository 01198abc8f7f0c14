import { target } from '../providers/hetzner/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
