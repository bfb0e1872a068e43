/**
 * Immutable, API-managed node operating systems: no SSH and no shell on the host; PID 1 is the OS's own manager, which
 * runs the OS's services as containers in a containerd namespace of its own, renders the control-plane static pods and
 * upgrades the node by installing a new image and rebooting (kexec) — all driven through the OS's own API, which the
 * Kubernetes audit log does not see. Node sensors flag each of these. Data for the node-os rule.
 * Sources: Talos Linux documentation (machined, apid on TCP 50000, trustd on 50001, `talosctl upgrade`, static pods
 * under /etc/kubernetes/manifests, the `system` containerd namespace).
 */
export type NodeOsServiceRole =
  /** PID 1: starts services, renders the static pods, reboots and kexecs into an upgraded kernel. */
  | 'manager'
  /** The OS's management API: accepts mutual-TLS sessions from the administrators' clients. */
  | 'api'
  /** The upgrade installer: writes the new OS image and boot assets, then the node reboots. */
  | 'installer';

export interface NodeOsService {
  name: string;
  role: NodeOsServiceRole;
  /** Executable paths on the host (exact). */
  paths: string[];
  /**
   * Ids of the OS-namespace containers it runs in (`containerd-shim-runc-v2 -namespace <systemNamespace> -id <id>`);
   * empty for PID 1, which runs outside any container.
   */
  containerIds: string[];
}

export interface NodeOs {
  id: string;
  name: string;
  /** Matches the Node's status.nodeInfo.osImage. */
  osImage: RegExp;
  /** The containerd namespace of the OS's own service containers. */
  systemNamespace: string;
  services: NodeOsService[];
  /** TCP ports of the OS's management API on every node. */
  apiPorts: number[];
}

export const NODE_OPERATING_SYSTEMS: readonly NodeOs[] = [
  {
    id: 'talos',
    name: 'Talos Linux',
    osImage: /^Talos \(/,
    systemNamespace: 'system',
    services: [
      { name: 'machined', role: 'manager', paths: ['/sbin/init', '/sbin/machined'], containerIds: [] },
      { name: 'apid', role: 'api', paths: ['/sbin/apid'], containerIds: ['apid'] },
      { name: 'trustd', role: 'api', paths: ['/sbin/trustd'], containerIds: ['trustd'] },
      { name: 'the Talos installer', role: 'installer', paths: ['/usr/bin/installer', '/bin/installer'], containerIds: ['upgrade', 'installer'] },
    ],
    apiPorts: [50000, 50001],
  },
];

/** How far from the alert the OS manager's static-pod render shows up as the recreated mirror pod. */
export const STATIC_POD_RENDER_MS = 2 * 60_000;
/** How long an upgrade (install, then reboot) or a reboot-bound action may precede the node's new boot. */
export const UPGRADE_REBOOT_MS = 30 * 60_000;
/** How close to the alert a person's API request from the same address must be to name the OS API's client. */
export const ADMIN_ADDRESS_MS = 30 * 60_000;
