import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 67.6 % (25/37, every genuine kept). EKS 1.31 with the VPC CNI, kube-proxy in IPVS mode, Linkerd (linkerd-init, proxy sidecars), an Argo Rollouts canary, external-secrets (IRSA), Kyverno; Wazuh (auditd/FIM on the nodes), Datadog CWS signals API, Tracee JSON, Vectra syslog.
scenarioSuite({
  name: 'eks-linkerd-rollouts',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 37,
  minAccuracy: 1,
  minLabelAndCause: 34,
});
