/**
 * The AWS Price List Query API (JSON 1.1 protocol, POST / with X-Amz-Target
 * AWSPriceListService.<Operation>): GetProducts over on-demand Linux prices of the emulated types,
 * each PriceList entry a JSON document in the Price List format (product + terms.OnDemand).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EmuResponse } from '../engine/index.js';
import { priceIn, REGION_NAMES, REGIONS, TYPES } from './catalog.js';

export function pricingError(status: number, type: string, message: string): EmuResponse {
  return {
    status,
    body: { __type: type, Message: message },
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
  };
}

const ok = (body: unknown): EmuResponse => ({ status: 200, body, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() } });

function product(typeName: string, region: string): Record<string, string> {
  const t = TYPES.find((x) => x.name === typeName)!;
  return {
    instanceType: t.name,
    regionCode: region,
    location: REGION_NAMES[region] ?? region,
    locationType: 'AWS Region',
    vcpu: String(t.vcpus),
    memory: `${t.memoryMiB / 1024} GiB`,
    storage: t.storageGb ? `1 x ${t.storageGb} NVMe SSD` : 'EBS only',
    physicalProcessor: t.arch === 'arm64' ? 'AWS Graviton' : 'Intel Xeon',
    processorArchitecture: t.arch === 'arm64' ? '64-bit' : '64-bit',
    ...(t.gpu ? { gpu: String(t.gpu.count), gpuMemory: `${(t.gpu.count * t.gpu.memoryMiB) / 1024} GB` } : {}),
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    licenseModel: 'No License required',
    operation: 'RunInstances',
    servicecode: 'AmazonEC2',
  };
}

function priceDocument(typeName: string, region: string): string {
  const t = TYPES.find((x) => x.name === typeName)!;
  const sku = createHash('sha256').update(`${typeName}/${region}`).digest('hex').slice(0, 16).toUpperCase();
  const term = 'JRTCKXETXF';
  return JSON.stringify({
    product: { productFamily: 'Compute Instance', attributes: product(typeName, region), sku },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [`${sku}.${term}`]: {
          priceDimensions: {
            [`${sku}.${term}.6YS6EN2CT7`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `$${priceIn(t, region)} per On Demand Linux ${typeName} Instance Hour`,
              appliesTo: [],
              rateCode: `${sku}.${term}.6YS6EN2CT7`,
              beginRange: '0',
              pricePerUnit: { USD: priceIn(t, region).toFixed(10) },
            },
          },
          sku,
          effectiveDate: '2026-11-01T00:00:00Z',
          offerTermCode: term,
          termAttributes: {},
        },
      },
    },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  });
}

/** GetProducts with TERM_MATCH filters and NextToken paging (MaxResults ≤ 100). */
export function pricingCall(target: string, body: any): EmuResponse {
  const op = target.replace(/^AWSPriceListService\./, '');
  if (op !== 'GetProducts') return pricingError(400, 'InvalidParameterException', `unsupported operation ${op}`);
  if (!body || typeof body !== 'object') return pricingError(400, 'InvalidParameterException', 'request body is not a JSON object');
  if (body.ServiceCode !== 'AmazonEC2') return pricingError(400, 'InvalidParameterException', `unknown ServiceCode ${body.ServiceCode}`);
  const filters: { Type?: string; Field?: string; Value?: string }[] = Array.isArray(body.Filters) ? body.Filters : [];
  for (const f of filters) if (f.Type !== 'TERM_MATCH') return pricingError(400, 'InvalidParameterException', `unsupported filter type ${f.Type}`);
  const rows = REGIONS.flatMap((region) => TYPES.filter((t) => !t.regions || t.regions.includes(region)).map((t) => ({ region, t })));
  const match = rows.filter(({ region, t }) => {
    const attrs = product(t.name, region);
    return filters.every((f) => f.Field !== undefined && attrs[f.Field] !== undefined && attrs[f.Field]!.toLowerCase() === String(f.Value).toLowerCase());
  });
  const max = Math.min(100, Number(body.MaxResults ?? 100));
  const start = body.NextToken ? Number(Buffer.from(String(body.NextToken), 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) return pricingError(400, 'InvalidNextTokenException', 'invalid NextToken');
  const slice = match.slice(start, start + max);
  return ok({
    FormatVersion: 'aws_v1',
    PriceList: slice.map(({ region, t }) => priceDocument(t.name, region)),
    ...(start + max < match.length ? { NextToken: Buffer.from(String(start + max)).toString('base64url') } : {}),
  });
}
