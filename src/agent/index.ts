/** The provider agent: `ferry agent run | doctor | test-provision` and the pieces they are made of. */
export { agentRun, type AgentRunOptions } from './run.js';
export { agentDoctor, runChecks, type DoctorOptions, type CheckResult } from './doctor.js';
export { agentTestProvision, type TestProvisionOptions } from './test-provision.js';
export { loadAgentConfig, parseAgentConfig, type AgentConfig, type ProvisionerConfig } from './config.js';
export { ConfigError } from './config-source.js';
export { Agent, AGENT_VERSION, type AgentOptions } from './loop.js';
export { createProvisioner, ProvisionError, type Provisioner } from './provisioners/index.js';
export { StateFile, defaultStateDir } from './state.js';
export type { AgentOutput } from './setup.js';
