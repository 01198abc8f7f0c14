/**
 * What the agent must never repeat: its keys, its provisioners' credentials, and secrets its
 * environment carries. Every log line and every report to the control plane (a failure's text is
 * read by the requester) goes through one redactor: the known values, then the shapes secrets
 * take in traces (`Authorization: Bearer …`, `password=…`), for values it was never told about.
 */
import { redactor } from '../transport/redact.js';
import type { AgentConfig } from './config.js';

/** Environment variable names whose values are treated as secrets. */
export const SECRET_ENV_NAME = /TOKEN|SECRET|PASSW|PASSPHRASE|API_?KEY|PRIVATE|CREDENTIAL|AUTH/i;

const SHAPES: [RegExp, string][] = [
  [/(authorization\s*[:=]\s*)(bearer|basic|token)?\s*[^\s'"]+/gi, '$1$2 ***'],
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***'],
  [/\b((?:api[_-]?)?(?:token|secret|password|passwd|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s'",;&]+/gi, '$1***'],
  [/(PVEAPIToken=[^=\s]+=)[^\s'"]+/g, '$1***'],
];

export function secretsOf(config: Pick<AgentConfig, 'api' | 'provisioner'>, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: (string | undefined)[] = [config.api?.signingKey];
  const p = config.provisioner;
  if (p.type === 'proxmox') out.push(p.tokenSecret);
  if (p.type === 'cloud') out.push(...Object.values(p.credentials));
  if (p.type === 'manual') out.push(p.notificationWebhook);
  for (const [name, value] of Object.entries(env)) if (SECRET_ENV_NAME.test(name) && value && value.length >= 6) out.push(value);
  return out.filter((s): s is string => typeof s === 'string' && s.length >= 4);
}

/** A redactor over the given secret values and the usual secret shapes. */
export function makeRedactor(secrets: readonly string[]): (text: string) => string {
  const known = redactor(secrets);
  return (text) => {
    let out = known(text);
    for (const [re, replacement] of SHAPES) out = out.replace(re, replacement);
    return out;
  };
}
