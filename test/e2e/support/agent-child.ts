/** `node agent-child.js <config>`: the agent as its own process, so the crash test can SIGKILL it anywhere. */
import { agentRun } from '../../../src/agent/run.js';

const config = process.argv[2];
if (!config) throw new Error('usage: agent-child <config.toml>');
const code = await agentRun({ config, timeouts: { pollIntervalMs: 10 } }, { write: (t) => void process.stdout.write(t) });
process.exit(code);
