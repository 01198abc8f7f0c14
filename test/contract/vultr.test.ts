import { target } from '../providers/vultr/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
