/** Agent endpoints with Decent Cloud's paths and JSON (see protocol/api.ts). Methods Decent Cloud serves as PUT also answer POST. */
import { AGENT_INSTANCE_ID_RE, type AgentPoll, type InstanceDetails, type PendingContract, type ReconcileResponse } from '../protocol/api.js';
import { contractAad, parseSealedCredentials, sealCredentials } from '../protocol/sealed-credentials.js';
import { schemaRef, arrayOf } from './api-schemas.js';
import { TEAR_DOWN } from './contract-states.js';
import type { ServerDeps } from './context.js';
import { field, HttpError, INT64_MAX, jsonBody, requireCaller, requireHexId, requireParty, sanitizeText, type Caller, type Ctx, type Route } from './http.js';
import { FIELD_LIMITS as L, RESPONSE_LIMITS } from './limits.js';
import { agentProvisionerType, offeringProvisionerType, provisionerMatches, recordHealth, recordHeartbeat } from './repo-agents.js';
import { getContract, pendingForProvider, publicDetails, teardownForProvider, transition, type TransitionChange } from './repo-contracts.js';
import { acquireLock, clearLock, lockHolder, releaseLock } from './repo-locks.js';

const TAG = 'agent';

/** The contract, which must belong to the party the caller acts for. */
async function ownedContract(deps: ServerDeps, ctx: Ctx, id: string) {
  const caller = requireCaller(ctx);
  const contract = await getContract(deps.db, requireHexId(id, 'contract id'));
  if (!contract) throw new HttpError(404, 'contract not found');
  if (contract.provider_pubkey !== caller.party) throw new HttpError(403, 'the contract belongs to another provider');
  return { caller, contract };
}

function invalid(result: { reason: string; status?: string }): HttpError {
  return result.reason === 'not_found'
    ? new HttpError(404, 'contract not found')
    : new HttpError(409, `transition not allowed from status ${result.status}`);
}

/**
 * Who holds a contract lease: the signing key, plus the agent's instance id when it sends one,
 * so several agent processes sharing one provider key are distinct holders.
 */
export function leaseHolder(caller: Caller, instanceId: unknown): string {
  if (instanceId === undefined || instanceId === null || instanceId === '') return caller.signer;
  if (typeof instanceId !== 'string' || !AGENT_INSTANCE_ID_RE.test(instanceId)) {
    throw new HttpError(400, 'agentInstanceId must be 1-64 characters of A-Z a-z 0-9 . _ -');
  }
  return `${caller.signer}/${instanceId}`;
}

/** The teardown cursor of a poll (ms on the control plane's clock), or null when the agent did not ask for tear-downs. */
function teardownCursor(raw: string | null): number | null {
  if (raw === null) return null;
  if (!/^\d{1,16}$/.test(raw)) throw new HttpError(400, 'teardown must be the cursor of the previous poll (a whole number ≥ 0)');
  return Number(raw);
}

function parseInstance(raw: string | undefined): InstanceDetails {
  if (raw !== undefined && Buffer.byteLength(raw) > L.instanceDetailsBytes) throw new HttpError(400, `instanceDetails is too large (at most ${L.instanceDetailsBytes} bytes)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new HttpError(400, 'instanceDetails must be a JSON document for status provisioned');
  }
  const d = parsed as InstanceDetails;
  if (!d || typeof d !== 'object' || Array.isArray(d) || typeof d.external_id !== 'string' || !d.external_id) {
    throw new HttpError(400, 'instanceDetails.external_id is required');
  }
  if (d.external_id.length > L.externalIdChars) throw new HttpError(400, `instanceDetails.external_id is too long (at most ${L.externalIdChars} characters)`);
  for (const name of ['ip_address', 'ipv6_address', 'public_ip'] as const) {
    const v = d[name];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 64)) throw new HttpError(400, `instanceDetails.${name} must be an address of at most 64 characters`);
  }
  if (d.ssh_port !== undefined && (!Number.isInteger(d.ssh_port) || d.ssh_port < 1 || d.ssh_port > 65535)) throw new HttpError(400, 'instanceDetails.ssh_port must be 1–65535');
  if (d.root_password !== undefined && d.root_password !== null && (typeof d.root_password !== 'string' || d.root_password.length > 1024)) {
    throw new HttpError(400, 'instanceDetails.root_password must be a string of at most 1024 characters');
  }
  return d;
}

/**
 * The credentials to store, sealed to the requester: as a ferry agent sealed them (checked to be
 * bound to this contract), or sealed here on arrival from a clear root_password (Decent Cloud agents).
 */
function sealedFor(contractId: string, requester: string, details: InstanceDetails): string | null {
  if (details.sealed_credentials != null) {
    if (details.root_password) throw new HttpError(400, 'send root_password or sealed_credentials, not both');
    let sealed;
    try {
      sealed = parseSealedCredentials(details.sealed_credentials);
    } catch (err) {
      throw new HttpError(400, `instanceDetails.${(err as Error).message}`);
    }
    if (sealed.version !== 2 || sealed.aad !== Buffer.from(contractAad(contractId)).toString('base64')) {
      throw new HttpError(400, 'instanceDetails.sealed_credentials must be version 2 with the contract id as AAD');
    }
    return JSON.stringify(sealed);
  }
  if (!details.root_password) return null;
  try {
    return JSON.stringify(sealCredentials(details.root_password, requester, contractAad(contractId)));
  } catch {
    throw new HttpError(409, 'the requester key cannot receive sealed credentials');
  }
}

/** Stores the sealed credentials and keeps the rest of the details in clear. */
export function provisionedChange(contractId: string, requester: string, details: InstanceDetails, actor: string): TransitionChange {
  const sealed = sealedFor(contractId, requester, details);
  return { to: 'provisioned', actor, set: { instance_details: publicDetails(details), sealed_credentials: sealed, error: null } };
}

export function agentRoutes(deps: ServerDeps): Route[] {
  const { db } = deps;
  const actorOf = (ctx: Ctx): string => `${ctx.caller!.role}:${ctx.caller!.signer}`;

  const provisioning = async (ctx: Ctx) => {
    const { caller, contract } = await ownedContract(deps, ctx, ctx.params.id!);
    const body = jsonBody(ctx);
    const status = field.string(body, 'status', { max: 64 })!;
    // Read as sent: a failure report is stored cleaned and cut, never refused (a refused report would leave the contract re-provisioning).
    const rawDetails = body.instanceDetails ?? body.instance_details;
    if (rawDetails !== undefined && rawDetails !== null && typeof rawDetails !== 'string') throw new HttpError(400, 'instanceDetails must be a string');
    const details = rawDetails?.trim();
    const holder = await lockHolder(db, contract.contract_id, deps.now());
    if (holder && holder !== leaseHolder(caller, body.agentInstanceId)) throw new HttpError(409, 'another agent holds the lease on this contract');
    const actor = actorOf(ctx);
    let steps: TransitionChange[];
    if (status === 'provisioning' || status === 'started') {
      steps = [{ to: 'provisioning', actor, idempotent: true }];
    } else if (status === 'provisioned') {
      const instance = parseInstance(details);
      steps = [{ to: 'provisioning', actor, idempotent: true }, provisionedChange(contract.contract_id, contract.requester_pubkey, instance, actor)];
    } else if (status === 'provisioning_failed' || status === 'failed') {
      const error = sanitizeText(details || 'provider reported a provisioning failure', L.errorChars);
      steps = [{ to: 'failed', actor, detail: error, set: { error } }];
    } else {
      throw new HttpError(400, `unknown provisioning status "${status}"`);
    }
    const result = await transition(db, contract.contract_id, steps, deps.now());
    if (!result.ok) throw invalid(result);
    if (result.contract.status !== 'provisioning') await clearLock(db, contract.contract_id);
    return 'Provisioning status updated';
  };

  const health = async (ctx: Ctx) => {
    const { caller, contract } = await ownedContract(deps, ctx, ctx.params.id!);
    const body = jsonBody(ctx);
    const checkedAt = field.number(body, 'checkedAt', { integer: true, bits: 64, min: 0, max: INT64_MAX })!;
    const status = field.string(body, 'status', { max: L.healthStatus })!;
    const latencyMs = field.number(body, 'latencyMs', { optional: true, integer: true, min: 0 });
    const details = field.string(body, 'details', { optional: true, max: L.healthDetails });
    return recordHealth(db, contract.contract_id, caller.signer, { checkedAt, status, latencyMs: latencyMs ?? null, details: details ?? null }, deps.now());
  };

  const terminated = async (ctx: Ctx) => {
    requireParty(ctx, ctx.params.pubkey!);
    const { contract } = await ownedContract(deps, ctx, ctx.params.id!);
    if (contract.status !== 'terminated') {
      const actor = actorOf(ctx);
      const result = await transition(db, contract.contract_id, [
        { to: 'terminating', actor, idempotent: true },
        { to: 'terminated', actor },
      ], deps.now());
      if (!result.ok) throw invalid(result);
    }
    await clearLock(db, contract.contract_id);
    return true;
  };

  const lockPath = '/api/v1/providers/{pubkey}/contracts/{id}/lock';
  const termPath = '/api/v1/providers/{pubkey}/contracts/{id}/terminated';
  const provPath = '/api/v1/provider/rental-requests/{id}/provisioning';
  const provDoc = {
    summary: 'Report provisioning started / provisioned (with instance details) / failed (with the error)',
    tag: TAG,
    request: schemaRef('ProvisioningStatusRequest'),
    response: { type: 'string' },
  };
  const termDoc = { summary: 'Report that the instance of a contract is gone', tag: TAG, response: { type: 'boolean' } };
  const healthDoc = { summary: 'Record a health check of a provisioned contract', tag: TAG, request: schemaRef('HealthCheckRequest'), response: schemaRef('HealthCheckRecord') };

  return [
    {
      method: 'GET',
      path: '/api/v1/providers/{pubkey}/contracts/pending-provision',
      auth: 'signed',
      doc: {
        summary: 'Contracts ready to provision; with ?wait=N the request is held up to N seconds until one is. With ?teardown=<cursor> (ferry extension) the answer is an AgentPoll that also lists contracts to tear down, and a held request wakes for those too',
        tag: TAG,
        response: { oneOf: [arrayOf('PendingContract'), schemaRef('AgentPoll')] },
        query: [
          { name: 'wait', description: 'long-poll: seconds to wait for a pending contract (0–60)', schema: { type: 'integer', minimum: 0, maximum: 60 } },
          { name: 'agentInstanceId', description: 'ferry extension: also list contracts whose lease this agent instance holds', schema: { type: 'string' } },
          {
            name: 'teardown',
            description: 'ferry extension: the cursor of the previous AgentPoll (0 at first); the answer becomes an AgentPoll listing the contracts that entered tear-down since',
            schema: { type: 'integer', minimum: 0 },
          },
        ],
      },
      handle: async (ctx) => {
        const caller = requireParty(ctx, ctx.params.pubkey!);
        const holder = leaseHolder(caller, ctx.query.get('agentInstanceId'));
        // A contract goes only to agents whose provisioner is the offering's (declared in the heartbeat).
        const pending = () => pendingForProvider(db, caller.party, holder, deps.now(), { rows: RESPONSE_LIMITS.pendingRows, bytes: RESPONSE_LIMITS.pendingBytes }, caller.signer);
        const since = teardownCursor(ctx.query.get('teardown'));
        const check = since === null
          ? pending
          : async (): Promise<AgentPoll> => {
            const now = deps.now();
            const [{ notices, resumeAt }, found] = await Promise.all([teardownForProvider(db, caller.party, since, RESPONSE_LIMITS.pendingRows, caller.signer), pending()]);
            // A full page resumes at its last row (sent again, harmlessly); otherwise at the time of the query.
            return { pending: found, teardown: notices, cursor: resumeAt ?? now };
          };
        const wait = Math.min(Math.max(Number(ctx.query.get('wait') ?? 0) || 0, 0), deps.maxWaitSeconds);
        if (wait === 0) return check();
        const gone = new AbortController();
        const onClose = () => gone.abort();
        ctx.res.on('close', onClose);
        try {
          return await deps.dispatcher.wait<PendingContract[] | AgentPoll>(caller.party, wait * 1000, check, gone.signal, (found) =>
            Array.isArray(found) ? found.length > 0 : found.pending.length > 0 || found.teardown.length > 0);
        } finally {
          ctx.res.off('close', onClose);
        }
      },
    },
    { method: 'PUT', path: provPath, auth: 'signed', doc: provDoc, handle: provisioning },
    { method: 'POST', path: provPath, auth: 'signed', doc: provDoc, handle: provisioning },
    { method: 'POST', path: '/api/v1/provider/contracts/{id}/health', auth: 'signed', doc: healthDoc, handle: health },
    { method: 'POST', path: '/api/v1/contracts/{id}/health', auth: 'signed', doc: { ...healthDoc, summary: `${healthDoc.summary} (Decent Cloud server path)` }, handle: health },
    {
      method: 'POST',
      path: '/api/v1/providers/{pubkey}/heartbeat',
      auth: 'signed',
      doc: { summary: 'Agent heartbeat', tag: TAG, request: schemaRef('HeartbeatRequest'), response: schemaRef('HeartbeatResponse') },
      handle: async (ctx) => {
        const caller = requireParty(ctx, ctx.params.pubkey!);
        const body = jsonBody(ctx);
        if (Array.isArray(body.capabilities) && body.capabilities.length > L.capabilities) throw new HttpError(400, `capabilities: at most ${L.capabilities}`);
        const capabilities = Array.isArray(body.capabilities)
          ? body.capabilities.filter((c): c is string => typeof c === 'string').map((c, i) => field.string({ [`capabilities[${i}]`]: c }, `capabilities[${i}]`, { max: L.capabilityChars })!)
          : null;
        await recordHeartbeat(db, caller.signer, caller.party, {
          version: field.string(body, 'version', { optional: true, max: L.agentVersion }) ?? null,
          provisionerType: field.string(body, 'provisionerType', { optional: true, max: L.provisionerType }) ?? null,
          capabilities,
          activeContracts: field.number(body, 'activeContracts', { optional: true, integer: true, min: 0 }) ?? 0,
        }, deps.now());
        return { acknowledged: true, nextHeartbeatSeconds: 60 };
      },
    },
    { method: 'PUT', path: termPath, auth: 'signed', doc: termDoc, handle: terminated },
    { method: 'POST', path: termPath, auth: 'signed', doc: termDoc, handle: terminated },
    {
      method: 'POST',
      path: '/api/v1/providers/{pubkey}/reconcile',
      auth: 'signed',
      doc: { summary: 'Running instances in, what to keep / terminate / ignore out', tag: TAG, request: schemaRef('ReconcileRequest'), response: schemaRef('ReconcileResponse') },
      handle: async (ctx) => {
        const caller = requireParty(ctx, ctx.params.pubkey!);
        const body = jsonBody(ctx);
        if (!Array.isArray(body.runningInstances)) throw new HttpError(400, 'runningInstances must be an array');
        if (body.runningInstances.length > L.reconcileInstances) throw new HttpError(400, `runningInstances: at most ${L.reconcileInstances} per request`);
        const out: ReconcileResponse = { keep: [], terminate: [], unknown: [], pause: [] };
        for (const item of body.runningInstances as Record<string, unknown>[]) {
          const externalId = String(item?.externalId ?? '');
          if (externalId.length > L.externalIdChars) throw new HttpError(400, `runningInstances: externalId is too long (at most ${L.externalIdChars} characters)`);
          const contractId = typeof item?.contractId === 'string' ? item.contractId.toLowerCase() : null;
          if (!contractId) {
            out.unknown.push({ externalId, message: 'No contract ID associated with this instance' });
            continue;
          }
          const contract = /^[0-9a-f]{2,128}$/.test(contractId) ? await getContract(db, contractId) : null;
          if (!contract) out.unknown.push({ externalId, message: `No contract found with ID: ${contractId}` });
          else if (contract.provider_pubkey !== caller.party) out.unknown.push({ externalId, message: 'Contract belongs to different provider' });
          else if (TEAR_DOWN.includes(contract.status)) out.terminate.push({ externalId, contractId, reason: contract.status });
          else out.keep.push({ externalId, contractId, endsAt: 0 });
        }
        return out;
      },
    },
    {
      method: 'POST',
      path: lockPath,
      auth: 'signed',
      doc: { summary: 'Take (or extend) the 5-minute provisioning lease on a contract; 409 while another agent holds it', tag: TAG, request: schemaRef('LockRequest'), requestOptional: true, response: schemaRef('LockResponse') },
      handle: async (ctx) => {
        const caller = requireParty(ctx, ctx.params.pubkey!);
        const { contract } = await ownedContract(deps, ctx, ctx.params.id!);
        if (['terminated', 'cancelled', 'rejected'].includes(contract.status)) throw new HttpError(409, `contract is ${contract.status}`);
        const offeringType = await offeringProvisionerType(db, contract.offering_id);
        const agentType = await agentProvisionerType(db, caller.signer);
        if (!provisionerMatches(offeringType, agentType)) throw new HttpError(409, `the offering is published for the ${offeringType} provisioner; this agent runs ${agentType}`);
        const holder = leaseHolder(caller, jsonBody(ctx).agentInstanceId);
        const lock = await acquireLock(db, contract.contract_id, holder, deps.now());
        const data = { acquired: lock.acquired, expiresAtNs: lock.expiresAt * 1_000_000 };
        if (!lock.acquired) throw Object.assign(new HttpError(409, 'Contract already locked by another agent'), { data });
        return data;
      },
    },
    {
      method: 'DELETE',
      path: lockPath,
      auth: 'signed',
      doc: { summary: 'Release a lease this agent holds', tag: TAG, request: schemaRef('LockRequest'), requestOptional: true, response: { type: 'boolean' } },
      handle: async (ctx) => {
        const caller = requireParty(ctx, ctx.params.pubkey!);
        const { contract } = await ownedContract(deps, ctx, ctx.params.id!);
        const released = await releaseLock(db, contract.contract_id, leaseHolder(caller, jsonBody(ctx).agentInstanceId));
        // A released lease makes a 'provisioning' contract dispatchable again.
        if (released) deps.dispatcher.notify(caller.party);
        return released;
      },
    },
  ];
}
