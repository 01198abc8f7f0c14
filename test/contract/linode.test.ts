import { target } from '../providers/linode/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
