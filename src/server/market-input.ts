/** Reading the market endpoints' input: keys, JSON documents and offerings, each within its documented bound. */
import { weakKeyReason, isKeyHex } from '../protocol/keys.js';
import type { OfferingInput } from '../protocol/api.js';
import { field, HttpError, storableText } from './http.js';
import { FIELD_LIMITS as L } from './limits.js';
import { jsonText } from './repo-offerings.js';

/** A party or agent key from a path or body: well-formed, and never a weak (small-order) or non-canonical point. */
export function pubkeyParam(value: string, what = 'public key'): string {
  if (!isKeyHex(value)) throw new HttpError(400, `${what} must be 64 hex characters`);
  const weak = weakKeyReason(value);
  if (weak) throw new HttpError(400, `${what} ${weak}`);
  return value.toLowerCase();
}

/** A JSON document (object or JSON text) within maxBytes, storable as text; null when absent. */
export function jsonField(body: Record<string, unknown>, name: string, maxBytes: number): string | null {
  let text: string | null;
  try {
    text = jsonText(body[name]);
  } catch {
    throw new HttpError(400, `${name} must be JSON`);
  }
  if (text === null) return null;
  if (Buffer.byteLength(text) > maxBytes) throw new HttpError(400, `${name} is too large (at most ${maxBytes} bytes)`);
  return storableText(text, name);
}

export function readOffering(body: Record<string, unknown>): OfferingInput {
  const input: OfferingInput = {
    name: field.string(body, 'name', { max: L.offeringName })!,
    cpu_cores: field.number(body, 'cpu_cores', { integer: true, min: 1, max: L.cpuCoresMax })!,
    memory_amount: field.string(body, 'memory_amount', { max: L.amountText })!,
    storage_capacity: field.string(body, 'storage_capacity', { max: L.amountText })!,
    monthly_price: field.number(body, 'monthly_price', { min: 0, max: L.monthlyPriceMax })!,
  };
  const bandwidth = field.number(body, 'bandwidth_mbps', { optional: true, integer: true, min: 0, max: L.bandwidthMbpsMax });
  if (bandwidth !== undefined) input.bandwidth_mbps = bandwidth;
  const currency = field.string(body, 'currency', { optional: true, max: L.currency });
  if (currency) input.currency = currency;
  const type = field.string(body, 'provisioner_type', { optional: true, max: L.provisionerType });
  if (type) input.provisioner_type = type;
  const config = jsonField(body, 'provisioner_config', L.provisionerConfigBytes);
  if (config !== null) input.provisioner_config = config;
  const script = field.string(body, 'post_provision_script', { optional: true, max: L.postProvisionScriptBytes });
  if (script) {
    if (Buffer.byteLength(script) > L.postProvisionScriptBytes) throw new HttpError(400, `post_provision_script is too large (at most ${L.postProvisionScriptBytes} bytes)`);
    input.post_provision_script = script;
  }
  if (body.auto_accept !== undefined) {
    if (typeof body.auto_accept !== 'boolean') throw new HttpError(400, 'auto_accept must be a boolean');
    input.auto_accept = body.auto_accept;
  }
  const budget = field.number(body, 'auto_accept_budget', { optional: true, min: 0, max: L.monthlyPriceMax });
  if (input.auto_accept) {
    // Every automatically accepted contract may make the provider buy a real server: a ceiling is part of the choice.
    if (budget === undefined) throw new HttpError(400, 'auto_accept needs auto_accept_budget: the monthly spending ceiling of automatically accepted contracts');
    input.auto_accept_budget = budget;
  }
  return input;
}

/**
 * Runs creations by one requester key one after another in this process. Quotas make them read
 * what the others write, so in parallel they would abort each other (serialization failures) and
 * retry; queued, they do not. Replicas still race, and the database settles that.
 */
export function perKeyQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(run);
    tails.set(key, mine);
    try {
      return await mine;
    } finally {
      if (tails.get(key) === mine) tails.delete(key);
    }
  };
}

