/**
 * The manual provisioner: tells a person (a JSON POST to the configured webhook, e.g. a Slack
 * or Mattermost incoming hook) and leaves the contract in "provisioning" for them to complete
 * in the dashboard. It creates nothing, so there is nothing to list, check or tear down
 * beyond a second notification.
 */
import type { ManualProvisionerConfig } from '../config.js';
import type { ProvisionRequest } from '../contract.js';
import { ProvisionError, type HealthResult, type OpOptions, type ProvisionOutcome, type Provisioner, type RunningInstance } from './types.js';

export interface ManualOptions {
  fetch?: typeof fetch;
  /** Dashboard base URL, for the link in the notification. */
  dashboardUrl?: string;
  timeoutMs?: number;
}

export class ManualProvisioner implements Provisioner {
  readonly type = 'manual' as const;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly config: ManualProvisionerConfig,
    private readonly options: ManualOptions = {},
  ) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  async provision(req: ProvisionRequest, o: OpOptions = {}): Promise<ProvisionOutcome> {
    const link = this.options.dashboardUrl ? `${this.options.dashboardUrl.replace(/\/+$/, '')}/dashboard/contracts/${req.contractId}` : null;
    const shape = [req.cpuCores && `${req.cpuCores} cores`, req.memoryMb && `${req.memoryMb} MiB`, req.storageGb && `${req.storageGb} GB disk`].filter(Boolean).join(', ');
    const text = `New contract ${req.contractId} (offering ${req.offeringId}${shape ? `: ${shape}` : ''}) needs manual provisioning.${link ? ` Enter the instance details at ${link}` : ' Enter the instance details in the dashboard.'}`;
    await this.notify({ event: 'contract.provision_requested', text, contract_id: req.contractId, offering_id: req.offeringId, cpu_cores: req.cpuCores, memory_mb: req.memoryMb, storage_gb: req.storageGb, requester_ssh_pubkey: req.requesterSshPubkey, instance_config: req.instanceConfig, dashboard_url: link }, o);
    return { kind: 'pending_manual', message: this.config.notificationWebhook ? 'operator notified; waiting for the instance details in the dashboard' : 'waiting for an operator to enter the instance details in the dashboard (no webhook configured)' };
  }

  async terminate(externalId: string, o: OpOptions = {}): Promise<void> {
    await this.notify({ event: 'contract.terminate_requested', text: `Instance ${externalId} should be torn down (its contract ended).`, external_id: externalId }, o);
  }

  async healthCheck(): Promise<HealthResult> {
    return { status: 'unknown', details: 'manual provisioner: health is not observed' };
  }

  async listRunning(): Promise<RunningInstance[] | null> {
    return null;
  }

  private async notify(payload: Record<string, unknown>, o: OpOptions): Promise<void> {
    const url = this.config.notificationWebhook;
    if (!url) return;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal });
    } catch (err) {
      throw new ProvisionError(`notification webhook ${redactUrl(url)} unreachable: ${(err as Error).message}`, true, { cause: err });
    }
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) {
      throw new ProvisionError(`notification webhook ${redactUrl(url)} answered HTTP ${res.status}`, res.status >= 500 || res.status === 429);
    }
  }
}

/** Webhook URLs carry their secret in the path (Slack's /services/T…/B…/xxx): show only the origin. */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(webhook)';
  }
}
