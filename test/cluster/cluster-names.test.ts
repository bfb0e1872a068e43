import { describe, expect, it } from 'vitest';
import { clusterNamed, parseClusterName, sameClusterName } from '../../src/cluster/cluster-names.js';

describe('cluster names', () => {
  it.each([
    ['arn:aws:eks:eu-west-1:480915672304:cluster/shop-prod', 'shop-prod', true],
    ['arn:aws-us-gov:eks:us-gov-west-1:123456789012:cluster/Core', 'core', true],
    ['gke_acme-prod_europe-west1_web', 'web', true],
    ['/subscriptions/0000/resourceGroups/rg-1/providers/Microsoft.ContainerService/managedClusters/aks-eu', 'aks-eu', true],
    ['shop-prod', 'shop-prod', true],
    // Different accounts: the same short name is not the same cluster.
    ['arn:aws:eks:eu-west-1:480915672304:cluster/shop', 'arn:aws:eks:eu-west-1:735204168891:cluster/shop', false],
    ['arn:aws:eks:eu-west-1:480915672304:cluster/shop-prod', 'shop-staging', false],
    ['prod', 'prod-eu', false],
  ])('%s ~ %s: %s', (a, b, same) => {
    expect(sameClusterName(a, b)).toBe(same);
    expect(sameClusterName(b, a)).toBe(same);
  });

  it('reads the short name and scope of each spelling', () => {
    expect(parseClusterName('arn:aws:eks:eu-west-1:480915672304:cluster/shop-prod')).toEqual({ short: 'shop-prod', scope: 'aws:480915672304:eu-west-1' });
    expect(parseClusterName('edge-lyon-01')).toEqual({ short: 'edge-lyon-01' });
  });

  it('designates one candidate, exact names first, and none when a short name is shared', () => {
    const names = (c: string) => [c];
    const arns = ['arn:aws:eks:eu-west-1:1111111111111:cluster/x', 'arn:aws:eks:eu-west-1:480915672304:cluster/shop-prod', 'arn:aws:eks:eu-west-1:735204168891:cluster/shop-staging'];
    expect(clusterNamed('shop-staging', arns, names)).toBe(arns[2]);
    expect(clusterNamed(arns[1], arns, names)).toBe(arns[1]);
    expect(clusterNamed('shop-dev', arns, names)).toBeUndefined();
    const twins = ['arn:aws:eks:eu-west-1:480915672304:cluster/shop', 'arn:aws:eks:eu-west-1:735204168891:cluster/shop'];
    expect(clusterNamed('shop', twins, names)).toBeUndefined();
    expect(clusterNamed(twins[0], twins, names)).toBe(twins[0]);
  });
});
