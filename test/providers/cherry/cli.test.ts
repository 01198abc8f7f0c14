/** The CLI on the Cherry Servers emulator: killed after the order or during the stage wait, `ferry gc` accounts for the order. */
import { test } from 'node:test';
import { crashAfterOrder, killedDuringWait, type BareMetalCliTarget } from '../../support/bare-metal-cli.js';

const CHERRY: BareMetalCliTarget = {
  provider: 'cherry',
  env: (url) => ({ FERRY_CHERRY_ENDPOINT: url, CHERRY_AUTH_TOKEN: 'test-key' }),
  deployArgs: ['--provider', 'cherry', '--size', 'e3_1240v3', '--region', 'eu_nord_1', '--image', 'debian-12'],
  isOrder: (x) => x.method === 'POST' && /^\/v1\/projects\/\d+\/servers$/.test(x.path),
};

test('crash: ferry SIGKILLed right after the order; gc adopts the server by its create-id tag', (t) => crashAfterOrder(t, CHERRY));
test('crash: ferry killed while waiting through the deploy stages; gc finds the order accounted for', (t) => killedDuringWait(t, CHERRY));
