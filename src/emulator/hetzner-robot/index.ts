/**
 * Emulated Hetzner Robot webservice (https://robot.hetzner.com/doc/webservice/en.html): dedicated
 * servers ordered on both shelves (transactions delivered on the emulated clock), renamed, reset,
 * booted into rescue (with an SSH endpoint, rescue-ssh.ts), cancelled to a billing date; SSH keys.
 * Basic auth (a password starting with "invalid" is refused); errors `{"error": {status, code,
 * message}}`; the rate limit answers 403 RATE_LIMIT_EXCEEDED. Emulator only: the answer to
 * POST /boot/{n}/rescue carries `x-emulator-rescue-ssh: 127.0.0.1:<port>`, and
 * GET /_emulator/rescue-log/{n} lists the commands the rescue system ran (for tests).
 */
import type { ApiFactory, EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { engineError } from './errors.js';
import { RescueSsh } from './rescue-ssh.js';
import { registerRobot } from './routes.js';
import { RobotState } from './state.js';

export function createRobotApi(ctx: EmulatorContext): EmulatedApi {
  const st = new RobotState(ctx);
  const ssh = new RescueSsh(st);
  return {
    name: 'hetzner-robot',
    register(router: Router) {
      registerRobot(router, st, ssh);
      router.on('GET', '/_emulator/rescue-log/:n', (req) => {
        const s = st.servers.get(Number(req.params.n));
        return s ? { status: 200, body: { commands: s.rescueLog, chainloaded: s.chainloaded } } : engineError(404, 'not_found', 'no such server');
      });
    },
    authenticate: (req) => {
      const m = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
      if (!m) return false;
      const [user, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
      const password = rest.join(':');
      return !!user && !!password && !password.startsWith('invalid');
    },
    errorResponse: engineError,
  };
}

export const createApi: ApiFactory = createRobotApi;
