import type { Migration } from './db.js';

/**
 * The CLI's local state. Portable SQL: TEXT ids, timestamps as TEXT in ISO 8601 UTC
 * (Date#toISOString, so they sort and compare as strings), JSON as TEXT, prices as DOUBLE PRECISION.
 * Never edit a shipped migration; add a new one.
 */
export const STORE_MIGRATIONS: readonly Migration[] = [
  {
    id: '001_inventory',
    sql: `
      CREATE TABLE inventory (
        provider TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        name TEXT NOT NULL,
        labels TEXT NOT NULL DEFAULT '{}',
        region TEXT NOT NULL,
        size TEXT NOT NULL,
        image TEXT,
        price_hourly DOUBLE PRECISION,
        price_monthly DOUBLE PRECISION,
        currency TEXT,
        create_id TEXT,
        created_at TEXT NOT NULL,
        last_seen_status TEXT,
        last_seen_at TEXT,
        ipv4 TEXT,
        ipv6 TEXT,
        deleted_at TEXT,
        PRIMARY KEY (provider, instance_id)
      );
      CREATE INDEX inventory_name ON inventory (name);
      CREATE INDEX inventory_create_id ON inventory (create_id);
    `,
  },
  {
    id: '002_create_journal',
    sql: `
      CREATE TABLE create_journal (
        create_id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        size TEXT NOT NULL,
        request TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'failed')),
        instance_id TEXT,
        error TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX create_journal_state ON create_journal (state, started_at);
    `,
  },
  {
    id: '003_history',
    // Only the auto-increment id differs between the dialects; it orders events written in the same millisecond.
    sql: {
      sqlite: `
        CREATE TABLE history (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          provider TEXT NOT NULL,
          instance_id TEXT,
          name TEXT,
          kind TEXT NOT NULL,
          detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX history_at ON history (at);
        CREATE INDEX history_instance ON history (provider, instance_id);
      `,
      postgres: `
        CREATE TABLE history (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          at TEXT NOT NULL,
          provider TEXT NOT NULL,
          instance_id TEXT,
          name TEXT,
          kind TEXT NOT NULL,
          detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX history_at ON history (at);
        CREATE INDEX history_instance ON history (provider, instance_id);
      `,
    },
  },
  {
    id: '004_offer_suppressions',
    // Offers that failed for capacity or quota, skipped by placement until until_at; shared by every ferry process on the store.
    sql: `
      CREATE TABLE offer_suppressions (
        provider TEXT NOT NULL,
        plan TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        until_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (provider, plan, region)
      );
      CREATE INDEX offer_suppressions_until ON offer_suppressions (until_at);
    `,
  },
  {
    id: '005_inventory_reporting',
    // Reports list by provider and launch time; `history --provider` reads one provider's newest events.
    sql: `
      CREATE INDEX inventory_provider_created ON inventory (provider, created_at);
      CREATE INDEX history_provider_at ON history (provider, at);
    `,
  },
  {
    id: '006_inventory_scope',
    // The API endpoint and account a server belongs to: a store pointed at another endpoint never
    // matches records of the first (rows from before this migration match any).
    sql: `
      ALTER TABLE inventory ADD COLUMN endpoint TEXT;
      ALTER TABLE inventory ADD COLUMN account TEXT;
    `,
  },
  {
    id: '007_inventory_scope_key',
    // Rows are keyed by (provider, endpoint, instance_id): the same id at two endpoints (two Proxmox
    // clusters, an emulator and the real API) is two servers. '' is the endpoint of rows from before
    // it was recorded; they match any endpoint and are claimed by the first that sees the server.
    // SQLite cannot change a primary key in place, so the table is rebuilt.
    sql: {
      sqlite: `
        CREATE TABLE inventory_keyed (
          provider TEXT NOT NULL,
          instance_id TEXT NOT NULL,
          name TEXT NOT NULL,
          labels TEXT NOT NULL DEFAULT '{}',
          region TEXT NOT NULL,
          size TEXT NOT NULL,
          image TEXT,
          price_hourly DOUBLE PRECISION,
          price_monthly DOUBLE PRECISION,
          currency TEXT,
          create_id TEXT,
          created_at TEXT NOT NULL,
          last_seen_status TEXT,
          last_seen_at TEXT,
          ipv4 TEXT,
          ipv6 TEXT,
          deleted_at TEXT,
          endpoint TEXT NOT NULL DEFAULT '',
          account TEXT,
          PRIMARY KEY (provider, endpoint, instance_id)
        );
        INSERT INTO inventory_keyed (provider, instance_id, name, labels, region, size, image, price_hourly, price_monthly, currency, create_id, created_at, last_seen_status, last_seen_at, ipv4, ipv6, deleted_at, endpoint, account)
          SELECT provider, instance_id, name, labels, region, size, image, price_hourly, price_monthly, currency, create_id, created_at, last_seen_status, last_seen_at, ipv4, ipv6, deleted_at, COALESCE(endpoint, ''), account FROM inventory;
        DROP TABLE inventory;
        ALTER TABLE inventory_keyed RENAME TO inventory;
        CREATE INDEX inventory_name ON inventory (name);
        CREATE INDEX inventory_create_id ON inventory (create_id);
        CREATE INDEX inventory_provider_created ON inventory (provider, created_at);
        CREATE INDEX inventory_instance ON inventory (provider, instance_id);
      `,
      postgres: `
        UPDATE inventory SET endpoint = '' WHERE endpoint IS NULL;
        ALTER TABLE inventory ALTER COLUMN endpoint SET DEFAULT '', ALTER COLUMN endpoint SET NOT NULL;
        ALTER TABLE inventory DROP CONSTRAINT inventory_pkey;
        ALTER TABLE inventory ADD PRIMARY KEY (provider, endpoint, instance_id);
        CREATE INDEX inventory_instance ON inventory (provider, instance_id);
      `,
    },
  },
];
