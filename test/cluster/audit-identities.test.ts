import { describe, expect, it } from 'vitest';
import { identityKind } from '../../src/cluster/audit-identities.js';

const session = (role: string, name: string): string => `arn:aws:sts::382915604117:assumed-role/${role}/${name}`;

describe('identityKind: AWS role sessions', () => {
  it.each([
    ['IAM Identity Center role', session('AWSReservedSSO_PlatformAdmin_4f2a9c1e7b3d5a60', 'kpatel')],
    ['federated session named by e-mail', session('PlatformAdmin', 'dana.kowalski@example.com')],
    ['federated session named first.last (SAML RoleSessionName)', session('PaymentsSRE', 'alice.nguyen')],
    ['first.middle.last', session('PaymentsSRE', 'mary.jane.watson')],
  ])('a person: %s', (_case, user) => {
    expect(identityKind(user, ['system:authenticated'])).toBe('user');
  });

  it.each([
    ['an instance role session (EC2 instance id)', session('pay-prod-nodegroup-role', 'i-0c9d1e7f52a84b3d6')],
    ['a GitHub Actions run', session('payments-deployer', 'gha-14388201957')],
    ['a botocore default session', session('ci-deployer', 'botocore-session-1804762311')],
    ['a numeric session', session('ci-deployer', '1741685000123456789')],
    ['a Fargate node session', session('fargate-pod-execution', 'ip-10-42-98-17.us-east-2.compute.internal')],
    ['a single word', session('karpenter', 'karpenter')],
    ['a dotted name with digits', session('deployer', 'build.4471')],
    ['dashes are not a person login', session('ops', 'cluster-autoscaler')],
  ])('a machine: %s', (_case, user) => {
    expect(identityKind(user, ['system:authenticated'])).toBe('cloud-role');
  });
});
