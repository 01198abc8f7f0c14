/**
 * Proof that whoever delegates an agent key holds it: the agent key signs (plain Ed25519, strict
 * verification) a statement naming the provider it will act for. Without it a provider could
 * register somebody else's key (squatting it, or making a party's own key act for another).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, keyBytes, weakKeyReason } from './keys.js';

const DOMAIN = 'ferry-agent-delegation-v1';

/** The bytes the agent key signs: domain, provider key, agent key (lower-case hex), newline-separated. */
export function delegationMessage(providerPubkey: string, agentPubkey: string): Uint8Array {
  return new TextEncoder().encode(`${DOMAIN}\n${providerPubkey.toLowerCase()}\n${agentPubkey.toLowerCase()}`);
}

/** Signs the delegation statement with the agent's secret seed (hex signature). */
export function signDelegation(agentSecretKeyHex: string, providerPubkey: string, agentPubkey: string): string {
  return bytesToHex(ed25519.sign(delegationMessage(providerPubkey, agentPubkey), keyBytes(agentSecretKeyHex, 'agent secret key')));
}

/** True when signature is the agent key's strict Ed25519 signature of the statement for this provider. */
export function verifyDelegation(providerPubkey: string, agentPubkey: string, signatureHex: string): boolean {
  if (weakKeyReason(agentPubkey) !== null || !/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  try {
    return ed25519.verify(hexToBytes(signatureHex), delegationMessage(providerPubkey, agentPubkey), hexToBytes(agentPubkey), { zip215: false });
  } catch {
    return false;
  }
}
