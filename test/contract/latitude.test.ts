import { target } from '../providers/latitude/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
