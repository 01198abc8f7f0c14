/** The drivers ferry ships: one line each. Everything else about a provider is derived from its descriptor. */
export { awsDescriptor } from './aws/meta.js';
export { cherryDescriptor } from './cherry/meta.js';
export { digitaloceanDescriptor } from './digitalocean/meta.js';
export { hetznerDescriptor } from './hetzner/meta.js';
export { hetznerRobotDescriptor } from './hetzner-robot/meta.js';
export { hivelocityDescriptor } from './hivelocity/meta.js';
export { latitudeDescriptor } from './latitude/meta.js';
export { linodeDescriptor } from './linode/meta.js';
export { ovhDescriptor } from './ovh/meta.js';
export { proxmoxDescriptor } from './proxmox/meta.js';
export { scalewayDescriptor } from './scaleway/meta.js';
export { vultrDescriptor } from './vultr/meta.js';
