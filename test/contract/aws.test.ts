import { contractSuite } from './suite.js';
import { target } from '../providers/aws/contract-target.js';

contractSuite(target);
