/**
 * The script provisioner: the seed's protocol, any language. Each action runs its script
 * with one JSON document on stdin and reads one JSON document from stdout:
 *   provision    {action, contract_id, offering{…}, requester_ssh_pubkey, instance_config, …}
 *                → {success:true, instance:{external_id, ip_address, ipv6_address, ssh_port, root_password}}
 *   terminate    {action, external_id, contract_id when known} → {success:true}
 *   health_check {action, external_id} → {success:true, health:{status:"healthy"|"unhealthy"|"unknown", …}}
 *   list         {action:"list"} → {success:true, instances:[{external_id, contract_id}]}
 * Failure: {success:false, error, retry_possible}. Provision is called again for the same
 * contract after an agent crash, so a script should answer with the existing instance then.
 */
import type { ScriptProvisionerConfig } from '../config.js';
import type { ProvisionRequest } from '../contract.js';
import { makeRedactor, SECRET_ENV_NAME } from '../redaction.js';
import { runScript, ScriptSpawnError, type RunResult } from './script-runner.js';
import { ProvisionError, type HealthResult, type InstanceInfo, type OpOptions, type ProvisionOutcome, type Provisioner, type RunningInstance } from './types.js';

type Json = Record<string, unknown>;

/** What every script gets from the agent's environment; anything else only when pass_env names it. */
export const BASE_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];

/** The environment a script runs with: the basics, the variables pass_env names, and the action. */
export function scriptEnv(agentEnv: NodeJS.ProcessEnv, passEnv: readonly string[], action: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of [...BASE_ENV, ...passEnv]) if (agentEnv[name] !== undefined) env[name] = agentEnv[name];
  env.FERRY_AGENT_ACTION = action;
  return env;
}

export class ScriptProvisioner implements Provisioner {
  readonly type = 'script' as const;
  private readonly redact: (text: string) => string;

  constructor(
    private readonly config: ScriptProvisionerConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    // Whatever a script echoes back, the values it was given (and the agent's secret-looking variables) are not repeated.
    const passed = (config.passEnv ?? []).map((n) => env[n]);
    const secretLooking = Object.entries(env).filter(([n, v]) => SECRET_ENV_NAME.test(n) && v && v.length >= 6).map(([, v]) => v);
    this.redact = makeRedactor([...passed, ...secretLooking].filter((v): v is string => typeof v === 'string' && v.length >= 4));
  }

  async provision(req: ProvisionRequest, o: OpOptions = {}): Promise<ProvisionOutcome> {
    const out = await this.call('provision', this.config.provision, provisionInput(req), o);
    const inst = out['instance'];
    if (!inst || typeof inst !== 'object') throw this.malformed('provision', 'success without an "instance" object');
    const i = inst as Json;
    if (typeof i['external_id'] !== 'string' || !i['external_id']) throw this.malformed('provision', 'instance.external_id is missing');
    const info: InstanceInfo = { externalId: i['external_id'] };
    if (typeof i['ip_address'] === 'string') info.ipAddress = i['ip_address'];
    if (typeof i['ipv6_address'] === 'string') info.ipv6Address = i['ipv6_address'];
    if (typeof i['ssh_port'] === 'number') info.sshPort = i['ssh_port'];
    if (typeof i['root_password'] === 'string') info.rootPassword = i['root_password'];
    if (i['additional_details'] !== undefined) info.additionalDetails = i['additional_details'];
    return { kind: 'provisioned', instance: info };
  }

  async terminate(externalId: string, o: OpOptions = {}, contractId?: string): Promise<void> {
    await this.call('terminate', this.config.terminate, { action: 'terminate', external_id: externalId, ...(contractId ? { contract_id: contractId } : {}) }, o);
  }

  async healthCheck(externalId: string, o: OpOptions = {}): Promise<HealthResult> {
    if (!this.config.healthCheck) return { status: 'unknown', details: 'no health_check script configured' };
    const started = Date.now();
    const out = await this.call('health_check', this.config.healthCheck, { action: 'health_check', external_id: externalId }, o);
    const h = out['health'];
    if (!h || typeof h !== 'object') throw this.malformed('health_check', 'success without a "health" object');
    const status = (h as Json)['status'];
    if (status !== 'healthy' && status !== 'unhealthy' && status !== 'unknown') {
      throw this.malformed('health_check', `health.status must be healthy, unhealthy or unknown, got ${JSON.stringify(status)}`);
    }
    const result: HealthResult = { status, latencyMs: Date.now() - started };
    const reason = (h as Json)['reason'] ?? (h as Json)['details'];
    if (typeof reason === 'string') result.details = reason;
    else if (typeof (h as Json)['uptime_seconds'] === 'number') result.details = `up ${(h as Json)['uptime_seconds']} s`;
    return result;
  }

  async listRunning(o: OpOptions = {}): Promise<RunningInstance[] | null> {
    if (!this.config.list) return null;
    const out = await this.call('list', this.config.list, { action: 'list' }, o);
    const list = out['instances'];
    if (!Array.isArray(list)) throw this.malformed('list', 'success without an "instances" array');
    return list.map((item, n) => {
      const i = (item ?? {}) as Json;
      if (typeof i['external_id'] !== 'string' || !i['external_id']) throw this.malformed('list', `instances[${n}].external_id is missing`);
      return { externalId: i['external_id'], contractId: typeof i['contract_id'] === 'string' && i['contract_id'] ? i['contract_id'] : null };
    });
  }

  private malformed(action: string, what: string): ProvisionError {
    return new ProvisionError(`${action} script answered malformed output: ${what}`, false);
  }

  private async call(action: string, path: string, input: Json, o: OpOptions): Promise<Json> {
    let r: RunResult;
    try {
      r = await runScript(path, {
        input: JSON.stringify(input),
        timeoutMs: this.config.timeoutSeconds * 1000,
        maxOutputBytes: this.config.maxOutputBytes,
        env: scriptEnv(this.env, this.config.passEnv ?? [], action),
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (err) {
      if (err instanceof ScriptSpawnError) throw new ProvisionError(`${action} script: ${err.message}`, false, { cause: err });
      throw err;
    }
    // stderr is the operator's (a `set -x` trace holds every header the script sent): logged by the agent, never reported.
    const detail = r.stderr.trim() ? { operatorDetail: `stderr: ${this.redact(r.stderr.trim())}` } : {};
    const fail = (message: string, retry: boolean) => new ProvisionError(this.redact(message), retry, detail);
    if (r.killedFor === 'timeout') {
      throw fail(`${action} script timed out after ${this.config.timeoutSeconds} s and was killed with everything it started`, true);
    }
    if (r.killedFor === 'output_cap') {
      throw fail(`${action} script wrote more than max_output_bytes (${this.config.maxOutputBytes}) and was killed`, false);
    }
    if (r.killedFor === 'cancelled') throw fail(`${action} script was stopped: the agent is shutting down`, true);
    const parsed = parseOutput(r.stdout);
    if (parsed && parsed['success'] === false) {
      const error = typeof parsed['error'] === 'string' ? parsed['error'].slice(0, 2000) : 'the script reported a failure without an error message';
      throw fail(`${action} script: ${error}`, parsed['retry_possible'] === true);
    }
    if (r.exitCode !== 0) {
      const how = r.exitSignal ? `was killed by ${r.exitSignal}` : `exited with code ${r.exitCode}`;
      throw fail(`${action} script ${how}`, false);
    }
    if (!parsed) {
      throw new ProvisionError(`${action} script answered malformed output (expected one JSON object on stdout)`, false, {
        operatorDetail: this.redact(`stdout: ${JSON.stringify(r.stdout.trim().slice(0, 200))}${r.stderr.trim() ? `; stderr: ${r.stderr.trim()}` : ''}`),
      });
    }
    if (parsed['success'] !== true) throw this.malformed(action, '"success" must be true or false');
    return parsed;
  }
}

/** The last line that parses as a JSON object, or the whole output: scripts often log before answering. */
function parseOutput(stdout: string): Json | null {
  const attempt = (text: string): Json | null => {
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
    } catch {
      return null;
    }
  };
  const whole = attempt(stdout.trim());
  if (whole || !stdout.trim()) return whole;
  const lines = stdout.trim().split('\n');
  return attempt(lines[lines.length - 1]!.trim());
}

/** The seed's provision request, plus the flat fields dc-agent's scripts read. */
export function provisionInput(req: ProvisionRequest): Json {
  return {
    action: 'provision',
    contract_id: req.contractId,
    offering_id: req.offeringId,
    offering: {
      id: req.offeringId,
      cpu_cores: req.cpuCores,
      memory_gb: req.memoryMb === null ? null : req.memoryMb / 1024,
      storage_gb: req.storageGb,
    },
    cpu_cores: req.cpuCores,
    memory_mb: req.memoryMb,
    storage_gb: req.storageGb,
    requester_ssh_pubkey: req.requesterSshPubkey,
    instance_config: req.instanceConfig ?? {},
    post_provision_script: req.postProvisionScript,
  };
}
