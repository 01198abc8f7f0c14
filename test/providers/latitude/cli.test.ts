/** The CLI on the Latitude.sh emulator: killed after the order or during the stage wait, `ferry gc` accounts for the order. */
import { test } from 'node:test';
import { crashAfterOrder, killedDuringWait, type BareMetalCliTarget } from '../../support/bare-metal-cli.js';

const LATITUDE: BareMetalCliTarget = {
  provider: 'latitude',
  env: (url) => ({ FERRY_LATITUDE_ENDPOINT: url, LATITUDESH_AUTH_TOKEN: 'test-key' }),
  deployArgs: ['--provider', 'latitude', '--size', 'c2-small-x86', '--region', 'DAL', '--image', 'debian-12'],
  isOrder: (x) => x.method === 'POST' && x.path === '/servers',
};

test('crash: ferry SIGKILLed right after the order; gc adopts the server by its create-id tag', (t) => crashAfterOrder(t, LATITUDE));
test('crash: ferry killed while waiting through the deploy stages; gc finds the order accounted for', (t) => killedDuringWait(t, LATITUDE));
