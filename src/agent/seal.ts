/**
 * Credentials sealed at the agent: when the control plane names the requester's key (ferry's
 * requester_pubkey), the root password is encrypted to it here, bound to the contract id, so
 * the clear password never crosses the network or reaches the control plane. Without the key
 * (a Decent Cloud server) the report carries it in clear and the server seals it on arrival.
 */
import type { InstanceDetails, PendingContract } from '../protocol/api.js';
import { isStrongPublicKey } from '../protocol/keys.js';
import { contractAad, sealCredentials } from '../protocol/sealed-credentials.js';

const HEX_ID = /^(?:[0-9a-f]{2})+$/i;

export function sealForRequester(details: InstanceDetails, contract: Pick<PendingContract, 'contract_id' | 'requester_pubkey'>): InstanceDetails {
  const key = contract.requester_pubkey;
  if (!details.root_password || !key || !HEX_ID.test(contract.contract_id)) return details;
  // A weak key (small order, non-canonical) would make the "sealed" password readable by anyone: never seal to it, never send it in clear.
  if (!isStrongPublicKey(key)) {
    const { root_password: _dropped, ...rest } = details;
    return rest;
  }
  const { root_password: password, ...rest } = details;
  return { ...rest, sealed_credentials: sealCredentials(password, key, contractAad(contract.contract_id)) };
}
