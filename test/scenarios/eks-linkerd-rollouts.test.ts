import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: see the commit history. EKS 1.31 with the VPC CNI, kube-proxy in IPVS mode, Linkerd (linkerd-init, proxy sidecars), an Argo Rollouts canary, external-secrets (IRSA), Kyverno; Wazuh (auditd/FIM on the nodes), Datadog CWS signals API, Tracee JSON, Vectra syslog.
scenarioSuite({
  name: 'eks-linkerd-rollouts',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 37,
  minAccuracy: 0,
});
