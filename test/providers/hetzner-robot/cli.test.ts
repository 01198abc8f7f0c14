/** The CLI on the Robot emulator: killed after the order or during the stage wait, `ferry gc` accounts for the order. */
import { test } from 'node:test';
import { crashAfterOrder, killedDuringWait, type BareMetalCliTarget } from '../../support/bare-metal-cli.js';

const ROBOT: BareMetalCliTarget = {
  provider: 'hetzner-robot',
  env: (url) => ({ FERRY_HETZNER_ROBOT_ENDPOINT: url, HETZNER_ROBOT_USER: 'ferry-ws-user', HETZNER_ROBOT_PASSWORD: 'robot-cli-pw' }),
  deployArgs: ['--provider', 'hetzner-robot', '--size', 'EX44', '--region', 'FSN1', '--image', 'debian-12'],
  isOrder: (x) => x.method === 'POST' && /^\/order\/(server|server_market)\/transaction$/.test(x.path),
};

test('crash: ferry SIGKILLed right after the order; gc adopts the server by the create id in the order comment', (t) => crashAfterOrder(t, ROBOT));
test('crash: ferry killed while waiting through the order stages; gc finds the order accounted for', (t) => killedDuringWait(t, ROBOT));
