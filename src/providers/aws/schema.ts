/**
 * Wire types: the SDK's own shapes, generated from the EC2 API model 2016-11-15 (the botocore
 * model aws-ec2/ec2-2016-11-15.min.json describes the same operations) and the Price List API.
 * Re-exported here so the rest of the driver names one place.
 */
export type {
  Image as AwsImage,
  Instance as AwsInstance,
  InstanceTypeInfo,
  Reservation,
  SecurityGroup as AwsSecurityGroup,
  Tag,
  TagSpecification,
  Volume as AwsVolume,
  Vpc,
  Subnet,
  Filter,
} from '@aws-sdk/client-ec2';

/** One PriceList entry of GetProducts (a JSON document in the Price List format). */
export interface PriceListProduct {
  product?: { productFamily?: string; attributes?: Record<string, string | undefined>; sku?: string };
  terms?: {
    OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: Record<string, string | undefined> }> }>;
  };
}
