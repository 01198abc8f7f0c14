import { contractSuite } from './suite.js';
import { target } from '../providers/ovh/contract-target.js';

contractSuite(target);
