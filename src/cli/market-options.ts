/** Option declarations shared by the market commands (`offering`, `contract`): data only, loaded with --help. */
import type { OptionSpec } from './define.js';

export const API_OPTION: OptionSpec = { flags: '--api <url>', description: 'control plane URL (default $FERRY_API_URL)' };

export const WAIT_OPTIONS: OptionSpec[] = [
  { flags: '--wait', description: 'wait until the contract settles, showing its progress' },
  { flags: '--timeout <seconds>', description: 'how long --wait waits', number: true, default: 600 },
];

export const MARKET_HELP = [
  'Requests are signed with your key ($XDG_CONFIG_HOME/ferry/keys/ferry_ed25519, or $FERRY_KEY_FILE): `ferry keys generate` makes one.',
  'The control plane is --api <url> or $FERRY_API_URL.',
].join('\n');
