/** The CLI on the OVH emulator: killed after the order or during the stage wait, `ferry gc` accounts for the order. */
import { test } from 'node:test';
import { EMULATOR_KEYS } from '../../../src/emulator/ovh/index.js';
import { crashAfterOrder, killedDuringWait, type BareMetalCliTarget } from '../../support/bare-metal-cli.js';

const OVH: BareMetalCliTarget = {
  provider: 'ovh',
  env: (url) => ({ OVH_ENDPOINT: url, ...EMULATOR_KEYS }),
  deployArgs: ['--provider', 'ovh', '--size', '24rise01', '--region', 'gra', '--image', 'debian-12'],
  isOrder: (x) => x.method === 'POST' && /^\/1\.0\/order\/cart\/[^/]+\/checkout$/.test(x.path),
};

test('crash: ferry SIGKILLed right after the checkout; gc adopts the server by the create id on its cart', (t) => crashAfterOrder(t, OVH));
test('crash: ferry killed while waiting through the delivery stages; gc finds the order accounted for', (t) => killedDuringWait(t, OVH));
