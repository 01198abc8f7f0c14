/**
 * Run as a child process by crash.test.ts: one create against the emulator, which the parent
 * kills (SIGKILL) once the emulator has applied the RunInstances whose answer never arrives.
 * argv: endpoint, create id, security group id.
 */
import { withDefaults } from '../../../src/providers/registry.js';
import { ACCESS_KEY, REGION, SECRET } from './contract-target.js';

const [endpoint, createId, group] = process.argv.slice(2);
const p = await withDefaults().create(
  'aws',
  {
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, region: REGION },
    endpoint: endpoint!,
    options: { securityGroupIds: group! },
    timeouts: { pollIntervalMs: 2, httpRequestMs: 10_000 },
    http: { timeScale: 1000, backoffMs: () => 50, budgets: new Map() },
  },
  {},
);
process.stdout.write('ready\n');
await p.createInstance({ name: 'crash-1', region: REGION, size: 't3.micro', image: { kind: 'ubuntu', version: '24.04' }, createId });
process.stdout.write('answered\n');
