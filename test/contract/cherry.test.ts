import { target } from '../providers/cherry/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
