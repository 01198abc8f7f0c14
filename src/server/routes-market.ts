/**
 * ferry's own endpoints for the two sides of the market (the CLI's `offering`, `contract` and
 * agent-key commands), signed exactly like the agent endpoints. snake_case JSON.
 */
import { verifyDelegation } from '../protocol/delegation.js';
import type { Contract } from '../protocol/api.js';
import { arrayOf, schemaRef } from './api-schemas.js';
import type { ServerDeps } from './context.js';
import { field, HttpError, INT64_MAX, jsonBody, requireCaller, requireHexId, requireParty, requireTokenId, type Ctx, type Route } from './http.js';
import { FIELD_LIMITS as L, RESPONSE_LIMITS } from './limits.js';
import { jsonField, perKeyQueue, pubkeyParam, readOffering } from './market-input.js';
import { listPage } from './paging.js';
import { listAgents } from './repo-agents.js';
import { listDelegations, notePartyKey, revokeDelegation, upsertDelegation } from './repo-auth.js';
import { createContract, getContract, listContracts, sealedCredentialsOf, transition } from './repo-contracts.js';
import { AWAITING_TEARDOWN } from './contract-states.js';
import { addOffering, getOffering, listOfferings, publicOffering, removeOffering } from './repo-offerings.js';

const TAG = 'market';
const AGENT_SIDE = "a delegated agent key acts only on its provider's side of a contract; the requester side needs the party key (X-Public-Key)";

/** Only the party's own key (X-Public-Key) may manage its agents and offerings or place contracts. */
function requireOwnKey(ctx: Ctx, party?: string) {
  const caller = party ? requireParty(ctx, party) : requireCaller(ctx);
  if (caller.role !== 'provider') throw new HttpError(403, 'this needs the party key (X-Public-Key), not a delegated agent key');
  return caller;
}

const OFFERING_PAGE = [
  { name: 'limit', description: `page size (1–${RESPONSE_LIMITS.listMaxRows}, default ${RESPONSE_LIMITS.listDefaultRows})`, schema: { type: 'integer', minimum: 1, maximum: RESPONSE_LIMITS.listMaxRows } },
  { name: 'after', description: 'cursor: the last offering id of the previous page', schema: { type: 'string' } },
];

function offeringPage(ctx: Ctx): { limit: number; after?: string } {
  const { limit } = listPage(ctx.query);
  const after = ctx.query.get('after');
  return after ? { limit, after: requireTokenId(after, 'after') } : { limit };
}

export function marketRoutes(deps: ServerDeps): Route[] {
  const { db } = deps;
  const queued = perKeyQueue();

  /** A contract the caller is a party to (requester, or provider directly or through an agent). */
  async function visibleContract(ctx: Ctx): Promise<Contract> {
    const caller = requireCaller(ctx);
    const contract = await getContract(db, requireHexId(ctx.params.id!, 'contract id'), true);
    if (!contract) throw new HttpError(404, 'contract not found');
    if (contract.requester_pubkey !== caller.party && contract.provider_pubkey !== caller.party) {
      throw new HttpError(403, 'not a party to this contract');
    }
    // A delegated agent key serves its provider's offerings; what the party rents is its own key's business.
    if (caller.role === 'agent' && contract.provider_pubkey !== caller.party) throw new HttpError(403, AGENT_SIDE);
    return contract;
  }

  async function move(ctx: Ctx, contract: Contract, to: Contract['status']): Promise<Contract> {
    const caller = requireCaller(ctx);
    const result = await transition(db, contract.contract_id, [{ to, actor: `${caller.role === 'agent' ? 'agent' : contract.requester_pubkey === caller.party ? 'requester' : 'provider'}:${caller.signer}` }], deps.now());
    if (!result.ok) throw new HttpError(result.reason === 'not_found' ? 404 : 409, `cannot move a ${result.status} contract to ${to}`);
    // A held poll carries teardown notices: wake the provider's agent now rather than at its next re-read.
    if (to === AWAITING_TEARDOWN) deps.dispatcher.notify(contract.provider_pubkey);
    return result.contract;
  }

  return [
    {
      method: 'POST',
      path: '/api/v1/providers/{pubkey}/agent-delegations',
      auth: 'signed',
      doc: { summary: 'Register a delegated agent key for this provider', tag: TAG, request: schemaRef('AgentDelegationRequest'), response: schemaRef('AgentDelegation') },
      handle: async (ctx) => {
        const caller = requireOwnKey(ctx, ctx.params.pubkey!);
        const body = jsonBody(ctx);
        const agent = pubkeyParam(field.string(body, 'agentPubkey', { max: 64 })!, 'agentPubkey');
        if (agent === caller.party) throw new HttpError(400, 'an agent key must differ from the provider key');
        const proof = field.string(body, 'agentSignature', { optional: true, max: 128 });
        if (!proof) throw new HttpError(400, 'agentSignature is required: the agent key\'s signature of the delegation (proof that you hold it)');
        if (!verifyDelegation(caller.party, agent, proof)) throw new HttpError(400, 'agentSignature does not prove possession of agentPubkey for this provider');
        const delegation = await upsertDelegation(db, {
          agentPubkey: agent,
          providerPubkey: caller.party,
          label: field.string(body, 'label', { optional: true, max: L.label }) ?? null,
          expiresAtNs: field.number(body, 'expiresAtNs', { optional: true, integer: true, bits: 64, min: 0, max: INT64_MAX }) ?? null,
        }, deps.now(), deps.quotas.delegationsPerProvider);
        if (delegation === 'quota') throw new HttpError(429, `quota: at most ${deps.quotas.delegationsPerProvider} agent keys per provider`);
        if (!delegation) throw new HttpError(409, 'this agent key is delegated by another provider');
        return delegation;
      },
    },
    {
      method: 'GET',
      path: '/api/v1/providers/{pubkey}/agent-delegations',
      auth: 'signed',
      doc: { summary: "List the provider's agent keys (revoked ones included)", tag: TAG, response: arrayOf('AgentDelegation') },
      handle: async (ctx) => listDelegations(db, requireOwnKey(ctx, ctx.params.pubkey!).party),
    },
    {
      method: 'DELETE',
      path: '/api/v1/providers/{pubkey}/agent-delegations/{agentPubkey}',
      auth: 'signed',
      doc: { summary: 'Revoke an agent key', tag: TAG, response: { type: 'boolean' } },
      handle: async (ctx) => {
        const caller = requireOwnKey(ctx, ctx.params.pubkey!);
        if (!(await revokeDelegation(db, caller.party, pubkeyParam(ctx.params.agentPubkey!), deps.now()))) throw new HttpError(404, 'no active delegation for this agent key');
        return true;
      },
    },
    {
      method: 'GET',
      path: '/api/v1/providers/{pubkey}/agent-status',
      auth: 'signed',
      doc: { summary: "The provider's agents: last heartbeat, version, provisioner", tag: TAG, response: arrayOf('AgentStatus') },
      handle: async (ctx) => listAgents(db, requireParty(ctx, ctx.params.pubkey!).party),
    },
    {
      method: 'POST',
      path: '/api/v1/providers/{pubkey}/offerings',
      auth: 'signed',
      doc: { summary: 'Publish an offering', tag: TAG, request: schemaRef('OfferingInput'), response: schemaRef('Offering') },
      handle: async (ctx) => {
        const caller = requireOwnKey(ctx, ctx.params.pubkey!);
        const offering = readOffering(jsonBody(ctx));
        await notePartyKey(db, caller.party, deps.now());
        const added = await addOffering(db, caller.party, offering, deps.now(), deps.quotas.offeringsPerProvider);
        if (!added) throw new HttpError(429, `quota: at most ${deps.quotas.offeringsPerProvider} live offerings per provider`);
        return added;
      },
    },
    {
      method: 'GET',
      path: '/api/v1/providers/{pubkey}/offerings',
      auth: 'public',
      doc: { summary: "A provider's offerings (public fields; paged with ?limit= and ?after=<offering id>)", tag: TAG, response: arrayOf('PublicOffering'), query: OFFERING_PAGE },
      handle: async (ctx) => (await listOfferings(db, { provider: pubkeyParam(ctx.params.pubkey!), ...offeringPage(ctx) })).map(publicOffering),
    },
    {
      method: 'GET',
      path: '/api/v1/providers/{pubkey}/offerings/full',
      auth: 'signed',
      doc: { summary: 'The provider\'s own offerings with their private fields (provisioner settings, script, acceptance budget)', tag: TAG, response: arrayOf('Offering'), query: OFFERING_PAGE },
      handle: async (ctx) => listOfferings(db, { provider: requireOwnKey(ctx, ctx.params.pubkey!).party, ...offeringPage(ctx) }),
    },
    {
      method: 'DELETE',
      path: '/api/v1/providers/{pubkey}/offerings/{offeringId}',
      auth: 'signed',
      doc: { summary: 'Withdraw an offering (existing contracts keep it)', tag: TAG, response: { type: 'boolean' } },
      handle: async (ctx) => {
        const caller = requireOwnKey(ctx, ctx.params.pubkey!);
        if (!(await removeOffering(db, caller.party, requireTokenId(ctx.params.offeringId!, 'offering id'), deps.now()))) throw new HttpError(404, 'offering not found');
        return true;
      },
    },
    {
      method: 'GET',
      path: '/api/v1/offerings',
      auth: 'public',
      doc: { summary: 'All offerings (public fields; paged with ?limit= and ?after=<offering id>)', tag: TAG, response: arrayOf('PublicOffering'), query: OFFERING_PAGE },
      handle: async (ctx) => (await listOfferings(db, offeringPage(ctx))).map(publicOffering),
    },
    {
      method: 'POST',
      path: '/api/v1/contracts',
      auth: 'signed',
      doc: { summary: 'Request a contract on an offering; the signer is the requester', tag: TAG, request: schemaRef('ContractCreateRequest'), response: schemaRef('Contract') },
      handle: async (ctx) => {
        const caller = requireOwnKey(ctx);
        const body = jsonBody(ctx);
        const offering = await getOffering(db, requireTokenId(field.string(body, 'offering_id', { max: L.offeringIdChars })!, 'offering_id'));
        if (!offering) throw new HttpError(404, 'offering not found');
        const ssh = field.string(body, 'requester_ssh_pubkey', { max: L.sshPubkeyChars })!.trim();
        if (!/^(ssh-|ecdsa-|sk-)[A-Za-z0-9@._-]+ [A-Za-z0-9+/=]+( [^\r\n]*)?$/.test(ssh)) throw new HttpError(400, 'requester_ssh_pubkey must be one OpenSSH public key line');
        const instanceConfig = jsonField(body, 'instance_config', L.instanceConfigBytes);
        await notePartyKey(db, caller.party, deps.now());
        const created = await queued(caller.party, () => createContract(db, {
          offeringId: offering.offering_id,
          provider: offering.provider_pubkey,
          requester: caller.party,
          sshPubkey: ssh,
          instanceConfig,
          autoAccept: offering.auto_accept && offering.auto_accept_budget !== null ? { budget: offering.auto_accept_budget, monthlyPrice: offering.monthly_price } : null,
        }, deps.now(), { maxOpen: deps.quotas.openContractsPerRequester, perMinute: deps.quotas.contractsPerMinutePerRequester }));
        if (!created.ok) {
          if (created.reason === 'rate') {
            throw new HttpError(429, `rate limit: at most ${deps.quotas.contractsPerMinutePerRequester} new contracts per minute per key`, { 'retry-after': String(Math.ceil(created.retryAfterMs / 1000)) });
          }
          throw new HttpError(429, `quota: at most ${deps.quotas.openContractsPerRequester} open contracts per key; end one first`);
        }
        const contract = created.contract;
        if (contract.status === 'pending_provisioning') deps.dispatcher.notify(contract.provider_pubkey);
        return contract;
      },
    },
    {
      method: 'GET',
      path: '/api/v1/contracts',
      auth: 'signed',
      doc: {
        summary: "The signer's contracts, as requester (default) or as provider",
        tag: TAG,
        response: arrayOf('Contract'),
        query: [
          { name: 'as', description: 'requester or provider', schema: { type: 'string', enum: ['requester', 'provider'] } },
          { name: 'limit', description: `page size (1–${RESPONSE_LIMITS.listMaxRows}, default ${RESPONSE_LIMITS.listDefaultRows})`, schema: { type: 'integer', minimum: 1, maximum: RESPONSE_LIMITS.listMaxRows } },
          { name: 'before', description: 'cursor: "<created_at>:<contract_id>" of the last contract of the previous page', schema: { type: 'string' } },
        ],
      },
      handle: async (ctx) => {
        const caller = requireCaller(ctx);
        const page = listPage(ctx.query);
        if (ctx.query.get('as') === 'provider') return listContracts(db, { provider: caller.party, ...page });
        if (caller.role === 'agent') throw new HttpError(403, AGENT_SIDE);
        return listContracts(db, { requester: caller.party, ...page });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/contracts/{id}',
      auth: 'signed',
      doc: { summary: 'One contract with its full history', tag: TAG, response: schemaRef('Contract') },
      handle: visibleContract,
    },
    {
      method: 'POST',
      path: '/api/v1/contracts/{id}/cancel',
      auth: 'signed',
      doc: { summary: 'Cancel a contract before provisioning starts (the requester)', tag: TAG, response: schemaRef('Contract') },
      handle: async (ctx) => {
        const contract = await visibleContract(ctx);
        if (contract.requester_pubkey !== ctx.caller!.party) throw new HttpError(403, 'only the requester can cancel');
        return move(ctx, contract, 'cancelled');
      },
    },
    {
      method: 'POST',
      path: '/api/v1/contracts/{id}/terminate',
      auth: 'signed',
      doc: { summary: 'Ask for the instance to be torn down (requester or provider)', tag: TAG, response: schemaRef('Contract') },
      handle: async (ctx) => move(ctx, await visibleContract(ctx), 'terminating'),
    },
    {
      method: 'GET',
      path: '/api/v1/contracts/{id}/credentials',
      auth: 'signed',
      doc: { summary: 'Instance credentials sealed to the requester key (decrypt locally)', tag: TAG, response: schemaRef('SealedCredentials') },
      handle: async (ctx) => {
        const contract = await visibleContract(ctx);
        if (contract.requester_pubkey !== ctx.caller!.party) throw new HttpError(403, 'only the requester can fetch credentials');
        const sealed = await sealedCredentialsOf(db, contract.contract_id);
        if (!sealed) throw new HttpError(404, 'no credentials for this contract');
        return JSON.parse(sealed) as unknown;
      },
    },
    {
      method: 'POST',
      path: '/api/v1/provider/rental-requests/{id}/respond',
      auth: 'signed',
      doc: { summary: 'Accept or reject a requested contract (offerings without auto-accept)', tag: TAG, request: schemaRef('RentalResponseRequest'), response: schemaRef('Contract') },
      handle: async (ctx) => {
        const contract = await visibleContract(ctx);
        const caller = ctx.caller!;
        if (contract.provider_pubkey !== caller.party) throw new HttpError(403, 'only the provider can respond');
        const body = jsonBody(ctx);
        if (typeof body.accept !== 'boolean') throw new HttpError(400, 'accept must be a boolean');
        const memo = field.string(body, 'memo', { optional: true, max: L.memo }) ?? null;
        const to = body.accept ? 'pending_provisioning' : 'rejected';
        const result = await transition(db, contract.contract_id, [{ to, actor: `${caller.role}:${caller.signer}`, detail: memo }], deps.now());
        if (!result.ok) throw new HttpError(409, `cannot respond to a ${result.status} contract`);
        if (to === 'pending_provisioning') deps.dispatcher.notify(contract.provider_pubkey);
        return result.contract;
      },
    },
  ];
}
