import { contractSuite } from './suite.js';
import { target } from '../providers/hivelocity/contract-target.js';

contractSuite(target);
