import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summariseCosts } from '../../src/store/costs.js';
import type { InventoryRecord } from '../../src/store/inventory.js';

function row(instanceId: string, createdAt: string, deletedAt: string | null, priceHourly: number | null, currency = 'EUR'): InventoryRecord {
  return {
    provider: 'hetzner', instanceId, name: instanceId, labels: {}, region: 'fsn1', size: 'cx22', image: null,
    priceHourly, priceMonthly: null, currency, createId: null, createdAt,
    lastSeenStatus: null, lastSeenAt: null, ipv4: null, ipv6: null, deletedAt,
  };
}

const now = new Date('2025-03-02T00:00:00.000Z');

describe('cost summary', () => {
  it('clips each instance to the window and leaves out those outside it', () => {
    const rows = [
      row('before', '2025-02-01T00:00:00.000Z', '2025-02-02T00:00:00.000Z', 1),
      row('spans', '2025-03-01T00:00:00.000Z', null, 2),
      row('inside', '2025-03-01T12:00:00.000Z', '2025-03-01T18:00:00.000Z', 1),
    ];
    const s = summariseCosts(rows, now, { since: '2025-03-01T06:00:00.000Z', until: '2025-03-01T20:00:00.000Z' });
    assert.deepEqual(
      s.lines.map((l) => [l.instanceId, l.hours, l.cost]),
      [
        ['spans', 14, 28],
        ['inside', 6, 6],
      ],
    );
    assert.deepEqual(s.totals, [{ currency: 'EUR', cost: 34, hours: 20 }]);
    assert.equal(s.since, '2025-03-01T06:00:00.000Z');
    assert.equal(s.until, '2025-03-01T20:00:00.000Z');
  });

  it('never counts past now, even when the window ends later', () => {
    const s = summariseCosts([row('live', '2025-03-01T00:00:00.000Z', null, 0.5)], now, { until: '2030-01-01T00:00:00.000Z' });
    assert.equal(s.lines[0]?.hours, 24);
    assert.equal(s.lines[0]?.cost, 12);
  });

  it('keeps currencies apart and counts unpriced instances', () => {
    const s = summariseCosts(
      [row('a', '2025-03-01T00:00:00.000Z', null, 1, 'USD'), row('b', '2025-03-01T00:00:00.000Z', null, 1, 'EUR'), row('c', '2025-03-01T00:00:00.000Z', null, null)],
      now,
    );
    assert.deepEqual(s.totals.map((t) => [t.currency, t.cost]), [['EUR', 24], ['USD', 24]]);
    assert.equal(s.unpriced, 1);
  });
});
