import { contractSuite } from './suite.js';
import { AWS } from '../providers/aws/contract-target.js';

contractSuite(AWS);
