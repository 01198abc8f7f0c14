/** `ferry agent run`: load the config, wire the loop, run until SIGTERM/SIGINT (or the given signal). */
import type { ProviderTimeouts } from '../core/index.js';
import { loadAgentConfig } from './config.js';
import { Agent, AGENT_VERSION } from './loop.js';
import { makeRedactor, secretsOf } from './redaction.js';
import { controlPlaneClient, provisionerFor, requireApi, stateFileFor, type AgentOutput } from './setup.js';

export interface AgentRunOptions {
  /** Path of the TOML configuration. */
  config: string;
  /** Overrides [agent] state_dir and the XDG default. */
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Stops the agent; without it SIGTERM and SIGINT do. */
  signal?: AbortSignal;
  /** Provider polling limits (tests against a time-scaled emulator shorten them). */
  timeouts?: Partial<ProviderTimeouts>;
  /** Called at each provisioning step (the crash harness kills the process here). */
  onStep?: (step: 'locked' | 'started' | 'provisioned' | 'reported', contractId: string) => void;
}

/** Resolves with the exit code once the agent has stopped. */
export async function agentRun(o: AgentRunOptions, out: AgentOutput): Promise<number> {
  const config = await loadAgentConfig(o.config);
  for (const w of config.warnings) out.write(`warning: ${w}\n`);
  const api = requireApi(config);
  const state = stateFileFor(config, api, { ...(o.stateDir ? { stateDir: o.stateDir } : {}), ...(o.env ? { env: o.env } : {}) });
  const provisioner = await provisionerFor(config, { ...(o.env ? { env: o.env } : {}), ...(o.timeouts ? { timeouts: o.timeouts } : {}) });
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    out.write(`${sig}: stopping after the current step\n`);
    stop.abort();
  };
  if (o.signal) o.signal.addEventListener('abort', () => stop.abort(), { once: true });
  else {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  const redact = makeRedactor(secretsOf(config, o.env ?? process.env));
  const agent = new Agent({
    // The shutdown signal reaches every request in flight: a hung control plane cannot keep the agent past SIGTERM.
    client: controlPlaneClient(api, { agentInstanceId: state.instanceId, signal: stop.signal }),
    redact,
    provisioner,
    polling: config.polling,
    state,
    log: (line) => out.write(`${new Date().toISOString()} ${line}\n`),
    ...(o.onStep ? { onStep: o.onStep } : {}),
  });
  out.write(`${AGENT_VERSION}: ${provisioner.type} provisioner, provider ${api.providerPubkey.slice(0, 16)}…, ${api.endpoint}, ${config.polling.longPoll ? 'long-poll' : `polling every ${config.polling.intervalSeconds} s`}, state ${state.path}, instance ${state.instanceId}\n`);
  try {
    await agent.run(stop.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  out.write(`stopped: ${agent.stats.provisioned} provisioned, ${agent.stats.failed} failed, ${agent.stats.polls} polls\n`);
  return 0;
}
