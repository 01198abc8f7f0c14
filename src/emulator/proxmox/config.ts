import type { EmuResponse } from '../engine/index.js';
import { paramError } from './http.js';
import type { VmRecord } from './state.js';

const TAG = /^[a-z0-9_][a-z0-9_+.-]*$/i;
const DNS_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
const URLENCODED = /^[-%a-zA-Z0-9_.!~*'()]*$/;
const IPCONFIG = /^(ip=(dhcp|\d{1,3}(\.\d{1,3}){3}\/\d{1,2})|gw=\d{1,3}(\.\d{1,3}){3}|ip6=(dhcp|auto|[0-9a-f:]+\/\d{1,3})|gw6=[0-9a-f:]+)(,(ip=(dhcp|\d{1,3}(\.\d{1,3}){3}\/\d{1,2})|gw=\d{1,3}(\.\d{1,3}){3}|ip6=(dhcp|auto|[0-9a-f:]+\/\d{1,3})|gw6=[0-9a-f:]+))*$/i;

type Check = (v: string) => string | undefined;

const int = (min: number): Check => (v) => (/^\d+$/.test(v) && Number(v) >= min ? undefined : `value must have a minimum value of ${min}`);

/** The options ferry's driver (and a careful user) sets, with PVE's checks for each. */
const CHECKS: Record<string, Check> = {
  name: (v) => (DNS_NAME.test(v) ? undefined : 'invalid format - value does not look like a valid DNS name'),
  tags: (v) => (v.split(/[;, ]+/).filter(Boolean).every((t) => TAG.test(t)) ? undefined : `invalid format - invalid characters in tag list`),
  description: (v) => (v.length <= 8192 ? undefined : 'value may only be 8192 characters long'),
  cores: int(1),
  sockets: int(1),
  memory: (v) => (/^(current=)?\d+$/.test(v) && Number(v.replace('current=', '')) >= 16 ? undefined : 'invalid format - value must have a minimum value of 16'),
  agent: (v) => (/^((enabled=)?[01]|true|false)(,.*)?$/.test(v) ? undefined : 'invalid format - value does not match the regex pattern'),
  ciuser: () => undefined,
  cipassword: () => undefined,
  sshkeys: (v) => (URLENCODED.test(v) ? undefined : 'invalid format - invalid urlencoded string'),
  nameserver: (v) => (v.split(/[ ,;]+/).every((a) => /^[0-9a-f.:]+$/i.test(a)) ? undefined : 'invalid format - value does not look like a valid address list'),
  searchdomain: () => undefined,
  cicustom: (v) => (/^((meta|network|user|vendor)=[^,]+)(,(meta|network|user|vendor)=[^,]+)*$/.test(v) ? undefined : 'invalid format - format error'),
  onboot: (v) => (/^[01]$/.test(v) ? undefined : 'type check (\'boolean\') failed'),
  digest: () => undefined,
  delete: () => undefined,
};

/** Applies a config update, or answers PVE's parameter error without changing anything. */
export function applyConfig(vm: VmRecord, body: Record<string, string>): EmuResponse | undefined {
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const check = CHECKS[key] ?? (/^ipconfig\d$/.test(key) ? (v: string) => (IPCONFIG.test(v) ? undefined : 'invalid format - format error') : undefined);
    if (!check) {
      errors[key] = 'property is not defined in schema and the schema does not allow additional properties';
      continue;
    }
    const problem = check(String(value));
    if (problem) errors[key] = problem;
  }
  if (Object.keys(errors).length) return paramError(errors);
  for (const key of (body.delete ?? '').split(/[,; ]+/).filter(Boolean)) delete vm.config[key];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'delete' || key === 'digest') continue;
    vm.config[key] = key === 'cores' || key === 'sockets' || key === 'onboot' ? Number(value) : key === 'tags' ? value.split(/[;, ]+/).filter(Boolean).join(';') : value;
  }
  return undefined;
}
