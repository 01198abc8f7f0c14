import { target } from '../providers/proxmox/contract-target.js';
import { contractSuite } from './suite.js';

contractSuite(target);
