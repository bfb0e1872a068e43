import { scenarioSuite } from '../support/scenario.js';

// kubeadm with Flannel, kube-proxy IPVS, MetalLB and Istio; Elastic Defend, Tracee, Zeek; gzip native audit; a snapshot directory.
scenarioSuite({ name: 'onprem-istio', context: ['--snapshot', 'cluster', '--audit-log', 'audit.log.gz'], alerts: 30, minAccuracy: 0.95, minLabelAndCause: 27 });
