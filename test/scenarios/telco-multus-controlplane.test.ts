import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 64.3 % (27/42), genuine kept 18/19 (the IngressNightmare /proc/<pid>/fd open by nginx -t was dismissed as workload baseline). kubeadm 1.30 HA (stacked etcd, kube-vip), Cilium eBPF + Multus + Whereabouts + SR-IOV (DPDK/vfio) + linuxptp + NFD; Tetragon JSON export, Tracee, Suricata EVE, Vectra syslog.
scenarioSuite({
  name: 'telco-multus-controlplane',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 42,
  minAccuracy: 0.95,
});
