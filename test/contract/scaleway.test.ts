import { target } from '../providers/scaleway/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
