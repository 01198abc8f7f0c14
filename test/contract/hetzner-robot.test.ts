import { contractSuite } from './suite.js';
import { target } from '../providers/hetzner-robot/contract-target.js';

contractSuite(target);
