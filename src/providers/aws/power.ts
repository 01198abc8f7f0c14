/** StartInstances / StopInstances / RebootInstances, each waited for; a stopped instance bills for its EBS volumes only. */
import { RebootInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { ProviderError, type Instance, type OperationOptions, type PowerService } from '../../core/index.js';
import { findInstance, waitForState, type InstanceContext } from './instances.js';

async function located(c: InstanceContext, id: string, o?: OperationOptions): Promise<string> {
  const found = await findInstance(c, id, o);
  if (!found) throw new ProviderError({ kind: 'not_found', provider: 'aws', subject: id, message: `instance ${id} does not exist` });
  return found.region;
}

export function powerService(c: InstanceContext): PowerService {
  return {
    async start(id, o): Promise<Instance> {
      const region = await located(c, id, o);
      await c.aws.ec2Call(region, new StartInstancesCommand({ InstanceIds: [id] }), o);
      return waitForState(c, id, ['running'], 'start', o);
    },
    async stop(id, o): Promise<Instance> {
      const region = await located(c, id, o);
      await c.aws.ec2Call(region, new StopInstancesCommand({ InstanceIds: [id] }), o);
      return waitForState(c, id, ['stopped'], 'stop', o);
    },
    async reboot(id, o): Promise<Instance> {
      const region = await located(c, id, o);
      await c.aws.ec2Call(region, new RebootInstancesCommand({ InstanceIds: [id] }), o);
      return waitForState(c, id, ['running'], 'reboot', o);
    },
  };
}
