import { contractSuite } from './suite.js';
import { PROXMOX } from './targets.js';

contractSuite(PROXMOX);
