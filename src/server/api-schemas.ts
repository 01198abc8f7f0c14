/** JSON Schemas (OpenAPI 3.1 components) of the wire types in protocol/api.ts. */
const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };
const bool = { type: 'boolean' };
const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const nullable = (s: object): object => ({ anyOf: [s, { type: 'null' }] });
const ref = (name: string): object => ({ $ref: `#/components/schemas/${name}` });
export const schemaRef = ref;
export const arrayOf = (name: string): object => ({ type: 'array', items: ref(name) });

const statusEnum = {
  type: 'string',
  enum: ['requested', 'pending_provisioning', 'provisioning', 'provisioned', 'failed', 'terminating', 'terminated', 'cancelled', 'rejected'],
};

export const schemas: Record<string, object> = {
  PendingContract: {
    type: 'object',
    required: ['contract_id', 'offering_id', 'requester_ssh_pubkey'],
    properties: {
      contract_id: str,
      offering_id: str,
      requester_ssh_pubkey: str,
      instance_config: str,
      cpu_cores: int,
      memory_amount: str,
      storage_capacity: str,
      provisioner_type: str,
      provisioner_config: str,
      post_provision_script: str,
      status: statusEnum,
      requester_pubkey: hex64,
    },
  },
  TeardownNotice: {
    type: 'object',
    description: 'ferry extension: a contract whose instance the agent must tear down now',
    required: ['contract_id', 'status'],
    properties: { contract_id: str, status: statusEnum },
  },
  AgentPoll: {
    type: 'object',
    description: 'ferry extension: the poll answer when the agent sends ?teardown=<cursor>',
    required: ['pending', 'teardown', 'cursor'],
    properties: {
      pending: arrayOf('PendingContract'),
      teardown: { ...arrayOf('TeardownNotice'), description: 'contracts that entered tear-down at or after the cursor sent' },
      cursor: { type: 'integer', minimum: 0, description: "the control plane's clock (ms) when it looked: the next poll's teardown parameter" },
    },
  },
  ProvisioningStatusRequest: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['provisioning', 'started', 'provisioned', 'provisioning_failed', 'failed'] },
      instanceDetails: nullable(str),
      agentInstanceId: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'ferry extension: the reporting agent process; must match the lease holder' },
    },
  },
  InstanceDetails: {
    type: 'object',
    required: ['external_id'],
    properties: {
      external_id: str,
      ip_address: nullable(str),
      ipv6_address: nullable(str),
      public_ip: nullable(str),
      ssh_port: int,
      root_password: nullable(str),
      sealed_credentials: nullable(ref('SealedCredentials')),
      additional_details: {},
    },
  },
  HealthCheckRequest: {
    type: 'object',
    required: ['checkedAt', 'status'],
    properties: { checkedAt: int, status: str, latencyMs: int, details: str },
  },
  HealthCheckRecord: {
    type: 'object',
    required: ['id', 'contractId', 'checkedAt', 'status', 'createdAt'],
    properties: { id: int, contractId: str, checkedAt: int, status: str, latencyMs: int, details: str, createdAt: int },
  },
  HeartbeatRequest: {
    type: 'object',
    required: ['activeContracts'],
    properties: {
      version: nullable(str),
      provisionerType: nullable(str),
      capabilities: nullable({ type: 'array', items: str }),
      activeContracts: int,
    },
  },
  HeartbeatResponse: {
    type: 'object',
    required: ['acknowledged', 'nextHeartbeatSeconds'],
    properties: { acknowledged: bool, nextHeartbeatSeconds: int },
  },
  ReconcileRequest: {
    type: 'object',
    required: ['runningInstances'],
    properties: {
      runningInstances: {
        type: 'array',
        items: { type: 'object', required: ['externalId'], properties: { externalId: str, contractId: nullable(str) } },
      },
    },
  },
  ReconcileResponse: {
    type: 'object',
    required: ['keep', 'terminate', 'unknown', 'pause'],
    properties: {
      keep: { type: 'array', items: { type: 'object', required: ['externalId', 'contractId', 'endsAt'], properties: { externalId: str, contractId: str, endsAt: int } } },
      terminate: { type: 'array', items: { type: 'object', required: ['externalId', 'contractId', 'reason'], properties: { externalId: str, contractId: str, reason: str } } },
      unknown: { type: 'array', items: { type: 'object', required: ['externalId', 'message'], properties: { externalId: str, message: str } } },
      pause: { type: 'array', items: { type: 'object', required: ['externalId', 'contractId', 'reason'], properties: { externalId: str, contractId: str, reason: str } } },
    },
  },
  LockRequest: {
    type: 'object',
    description: 'ferry extension (optional body): agents sharing one key hold leases as key + instance id',
    properties: { agentInstanceId: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } },
  },
  LockResponse: { type: 'object', required: ['acquired', 'expiresAtNs'], properties: { acquired: bool, expiresAtNs: int } },
  AgentDelegationRequest: {
    type: 'object',
    required: ['agentPubkey', 'agentSignature'],
    properties: {
      agentPubkey: hex64,
      agentSignature: { type: 'string', pattern: '^[0-9a-fA-F]{128}$', description: 'Ed25519 signature by the agent key of "ferry-agent-delegation-v1\\n<provider key>\\n<agent key>" (lower-case hex keys)' },
      label: str,
      expiresAtNs: int,
    },
  },
  AgentDelegation: {
    type: 'object',
    required: ['agentPubkey', 'providerPubkey', 'createdAtNs', 'revoked'],
    properties: { agentPubkey: hex64, providerPubkey: hex64, label: nullable(str), expiresAtNs: nullable(int), createdAtNs: int, revoked: bool },
  },
  AgentStatus: {
    type: 'object',
    required: ['agent_pubkey', 'provider_pubkey', 'capabilities', 'active_contracts', 'last_heartbeat_at'],
    properties: {
      agent_pubkey: hex64,
      provider_pubkey: hex64,
      version: nullable(str),
      provisioner_type: nullable(str),
      capabilities: { type: 'array', items: str },
      active_contracts: int,
      last_heartbeat_at: int,
    },
  },
  OfferingInput: {
    type: 'object',
    required: ['name', 'cpu_cores', 'memory_amount', 'storage_capacity', 'monthly_price'],
    properties: {
      name: str,
      cpu_cores: { type: 'integer', minimum: 1 },
      memory_amount: str,
      storage_capacity: str,
      bandwidth_mbps: int,
      monthly_price: { type: 'number', minimum: 0 },
      currency: str,
      provisioner_type: str,
      provisioner_config: {},
      post_provision_script: str,
      auto_accept: { type: 'boolean', description: 'default false; true needs auto_accept_budget' },
      auto_accept_budget: { type: 'number', minimum: 0, description: 'monthly spending ceiling of automatically accepted open contracts on this offering' },
    },
  },
  Offering: {
    type: 'object',
    required: ['offering_id', 'provider_pubkey', 'name', 'cpu_cores', 'memory_amount', 'storage_capacity', 'monthly_price', 'currency', 'auto_accept', 'created_at'],
    properties: {
      offering_id: str,
      provider_pubkey: hex64,
      name: str,
      cpu_cores: int,
      memory_amount: str,
      storage_capacity: str,
      bandwidth_mbps: nullable(int),
      monthly_price: num,
      currency: str,
      provisioner_type: nullable(str),
      provisioner_config: nullable(str),
      post_provision_script: nullable(str),
      auto_accept: bool,
      auto_accept_budget: nullable(num),
      created_at: int,
    },
  },
  PublicOffering: {
    type: 'object',
    description: 'An offering as anyone may read it: without the provider\'s provisioner settings, script and budget',
    required: ['offering_id', 'provider_pubkey', 'name', 'cpu_cores', 'memory_amount', 'storage_capacity', 'monthly_price', 'currency', 'auto_accept', 'created_at'],
    properties: {
      offering_id: str,
      provider_pubkey: hex64,
      name: str,
      cpu_cores: int,
      memory_amount: str,
      storage_capacity: str,
      bandwidth_mbps: nullable(int),
      monthly_price: num,
      currency: str,
      provisioner_type: nullable(str),
      auto_accept: bool,
      created_at: int,
    },
  },
  ContractCreateRequest: {
    type: 'object',
    required: ['offering_id', 'requester_ssh_pubkey'],
    properties: { offering_id: str, requester_ssh_pubkey: str, instance_config: {} },
  },
  ContractTransition: {
    type: 'object',
    required: ['to_status', 'actor', 'at'],
    properties: { from_status: nullable(statusEnum), to_status: statusEnum, actor: str, detail: nullable(str), at: int },
  },
  Contract: {
    type: 'object',
    required: ['contract_id', 'offering_id', 'provider_pubkey', 'requester_pubkey', 'requester_ssh_pubkey', 'status', 'has_credentials', 'created_at', 'updated_at'],
    properties: {
      contract_id: hex64,
      offering_id: str,
      provider_pubkey: hex64,
      requester_pubkey: hex64,
      requester_ssh_pubkey: str,
      instance_config: nullable(str),
      status: statusEnum,
      instance_details: nullable({ type: 'object' }),
      has_credentials: bool,
      error: nullable(str),
      created_at: int,
      updated_at: int,
      history: { type: 'array', items: ref('ContractTransition') },
    },
  },
  RentalResponseRequest: { type: 'object', required: ['accept'], properties: { accept: bool, memo: str } },
  SealedCredentials: {
    type: 'object',
    required: ['version', 'ephemeral_pubkey', 'nonce', 'ciphertext'],
    properties: { version: { type: 'integer', enum: [1, 2] }, ephemeral_pubkey: str, nonce: str, ciphertext: str, aad: str },
  },
};
