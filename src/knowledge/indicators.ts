/**
 * Attack indicators that make an alert genuine whatever the benign context says (KNOWLEDGE.md §4). Each one names
 * where it looks and, where stock node components legitimately do the same thing, which component capability may
 * excuse it — only when the cluster confirms that component (image, namespace and owner together).
 */
import type { NodeComponent } from './components.js';

export type IndicatorField = 'command' | 'ancestry' | 'path' | 'file' | 'network' | 'title';

export interface AttackIndicator {
  id: string;
  /** Short noun phrase used in messages: "a reverse shell". */
  what: string;
  technique: string;
  fields: IndicatorField[];
  pattern: RegExp;
  /** A confirmed component with this capability does this legitimately. */
  excusedBy?: (component: NodeComponent) => boolean;
  /**
   * The excuse holds only for the component's own listed programs, not a shell or interpreter in its pod: an EDR
   * agent's scan is its daemon reading the file, while `sh -c "cat /host-fs/etc/shadow"` there is someone else.
   */
  excusedForOwnProgramsOnly?: boolean;
}

const MINER_NAMES = 'xmrig|xmr-stak|minerd|minergate|cpuminer|ccminer|ethminer|cgminer|bfgminer|sgminer|claymore|nbminer|t-rex|gminer|lolminer|phoenixminer|teamredminer|nanominer|bminer|wildrig|srbminer|kdevtmpfsi|kinsing';
const SHELL = '(?:ba|da|z|k|c|tc|a)?sh';
/** One host discovery command, as a webshell's first look around runs it. */
const DISCOVERY = '(?:id|whoami|uname(?:\\s+-[a-z]+)?|hostname|pwd|ifconfig|ip\\s+a(?:ddr)?|ps\\s+(?:aux|-ef)|cat\\s+/etc/(?:passwd|issue|os-release|hosts)|cat\\s+/proc/(?:self/)?(?:cgroup|version|1/cgroup)|ls\\s+-la?\\s+/)';
/** An IPv4 address outside the private, loopback, link-local and carrier-grade NAT ranges. */
const PUBLIC_IPV4 = '(?!(?:10|127|0)\\.|172\\.(?:1[6-9]|2\\d|3[01])\\.|192\\.168\\.|169\\.254\\.|100\\.(?:6[4-9]|[7-9]\\d|1[01]\\d|12[0-7])\\.)\\d{1,3}(?:\\.\\d{1,3}){3}\\b';

/**
 * A write of a file by a redirect, tee, cp, mv, install or ln, to an absolute path that may sit under a container's
 * mount of the host's filesystem (/host, /rootfs, /node …): ends just before the host path's first segment.
 */
const HOST_FILE_WRITE = `(?:>>?\\s*|\\btee\\s+(?:-a\\s+)?|\\b(?:cp|mv|install|ln)\\s+(?:-\\S+\\s+)*[^\\s;&|]+\\s+)["']?(?:\\/[\\w.-]+)*?\\/`;

export const ATTACK_INDICATORS: AttackIndicator[] = [
  {
    id: 'crypto-miner',
    what: 'a cryptocurrency miner',
    technique: 'T1496',
    fields: ['command', 'path', 'ancestry'],
    pattern: new RegExp(`(?:^|[/\\s])(?:${MINER_NAMES})(?:\\s|$|\\.)|stratum2?\\+(?:tcp|ssl|tls)://|--donate-level|\\bnicehash\\b|\\b(?:minexmr|nanopool|supportxmr|hashvault|unmineable|2miners|f2pool|moneroocean)\\.`, 'i'),
  },
  {
    id: 'mining-pool-traffic',
    what: 'mining-pool traffic',
    technique: 'T1496',
    fields: ['title', 'network'],
    pattern: /stratum|mining pool|crypto ?currency min(?:er|ing)|coin ?min(?:er|ing)|xmrig|monero/i,
  },
  {
    id: 'reverse-shell-traffic',
    what: 'a reverse or interactive shell over the network',
    technique: 'T1059.004',
    fields: ['title'],
    // "… from / in an interactive shell" names where a command was typed (a terminal), not a shell served over the network.
    // Falco's stock "Redirect STDOUT/STDIN to Network Connection in Container" is its reverse-shell rule (dup2 of a
    // process's standard streams onto a socket).
    // "Interactive shell spawned in (a) container" is an EDR's terminal-in-container detection (kubectl exec), no socket.
    pattern: /reverse shell|(?<!\b(?:from|in|within|via|inside) (?:an? )?)interactive shell(?! (?:was )?(?:spawned|started|launched|opened|executed|run|created)\b[^.]*?\b(?:in|inside|within) (?:an? |the )?(?:container|pod)\b)|shell prompt|ATTACK_RESPONSE|bind shell|command shell|redirect stdout\/stdin to network/i,
  },
  {
    // A network sensor's threat-intelligence match (Zeek's Intel framework): the peer is on a feed of known-bad addresses.
    id: 'threat-intel-match',
    what: 'a threat-intelligence match',
    technique: 'T1071',
    fields: ['title'],
    pattern: /^Intel::Notice$/,
  },
  {
    id: 'scan-traffic',
    what: 'network scanning',
    technique: 'T1046',
    fields: ['title'],
    // Port scanners, and the web-vulnerability scanners attackers point at exposed services (Nikto, Nuclei, WPScan,
    // content brute-forcers, ZmEu) as network signatures name them. Not the commercial scanners a security team
    // schedules itself (Nessus, Qualys, OpenVAS).
    pattern: /\bnmap\b|masscan|zmap|port[ _]?scan(?!.*sweep)|\bSYN scan|\b(?:nikto|nuclei|wpscan|gobuster|dirbuster|feroxbuster|zmeu)\b/i,
  },
  {
    id: 'script-download',
    what: 'a script or executable fetched over HTTP',
    technique: 'T1105',
    fields: ['network'],
    pattern: /^(?:https?:\/\/[^/]+)?\/[^?#\s]*\.(?:sh|bash|py|pl|ps1|elf|bin|exe|so)(?:[?#]|$)/i,
  },
  {
    id: 'reverse-shell',
    what: 'a reverse shell',
    technique: 'T1059.004',
    fields: ['command', 'ancestry'],
    pattern: new RegExp(
      [
        '/dev/(?:tcp|udp)/(?!(?:127\\.0\\.0\\.1|localhost)/)',
        '\\b(?:nc|ncat|netcat)(?:\\.\\w+)?\\s[^|;]*-(?:e|c)\\s',
        '\\bncat\\b[^|;]*--(?:sh-exec|lua-exec|exec)',
        '\\bsocat\\b[^|;]*(?:exec|system):',
        // mkfifo, a separator, and later a network client: up to the first separator in one step, so that a command
        // line repeating `mkfifo x &&` cannot make the pattern backtrack cubically (3 minutes on 8 KB).
        '\\bmkfifo\\b[^;&|]*[;&|][\\s\\S]*\\b(?:nc|ncat|netcat|openssl)\\b',
        'python[\\d.]*\\s+-c\\s+(?!\\s).*\\bsocket\\b.*\\b(?:connect|dup2)\\b',
        'perl\\s+-e\\s+(?!\\s).*\\bSocket\\b',
        'ruby\\s+-rsocket',
        'php\\s+-r\\s+(?!\\s).*fsockopen',
        `\\b${SHELL}\\s+-i\\s*[<>]&?\\s*/dev/`,
      ].join('|'),
      'i',
    ),
  },
  {
    // A tunnel that opens a port of the cluster's network to the outside: ssh remote forwarding (-R, also in a flag
    // cluster like -NR, or RemoteForward) and the tunnelling tools attackers bring (chisel, frp, ligolo, ngrok).
    id: 'network-tunnel',
    what: 'a network tunnel out of the cluster',
    technique: 'T1572',
    fields: ['command', 'ancestry'],
    pattern: /(?:^|[/\s])ssh\s(?:[^|;&]*\s)?(?:-[46AaCfGgKkMNnqsTtVvXxYy]*R\s*\S|-o\s*RemoteForward\b)|(?:^|[/\s])(?:chisel|frpc|ligolo(?:-ng)?|ngrok)\s+(?:client|server|tcp|http|tls|-c\b|--)/i,
  },
  {
    id: 'download-and-execute',
    what: 'a download-and-execute chain',
    technique: 'T1105',
    fields: ['command', 'ancestry'],
    pattern: new RegExp(
      [
        `\\b(?:curl|wget|fetch)\\b[^|;&]*\\|\\s*(?:sudo\\s+)?(?:${SHELL}|python[\\d.]*|perl)\\b`,
        `\\b(?:curl|wget)\\b[^;&|]*(?:-o|-O|--output)\\s*\\S+\\s*(?:;|&&)\\s*(?:chmod\\s+[+0-7]*x|${SHELL}\\s|\\./|/tmp/|/dev/shm/|/var/tmp/)`,
        `\\b(?:${SHELL})\\s+-c\\s(?:\\s*["'])?[^"']*\\b(?:curl|wget)\\b[^"']*(?:\\|\\s*(?:${SHELL})|&&\\s*(?:${SHELL}|chmod|\\./|/tmp/))`,
        `\\b(?:${SHELL})\\s+<\\s*\\(\\s*(?:curl|wget)`,
      ].join('|'),
      'i',
    ),
  },
  {
    id: 'script-from-temp',
    what: 'a script or binary run from a temporary or hidden directory',
    // Not the Go toolchain's own work directory: `go test` and `go run` link their binaries into
    // $TMPDIR/go-build<n>/b<n>/ (`x.test`, `exe/x`) and run them from there.
    technique: 'T1059',
    fields: ['command', 'path', 'ancestry'],
    pattern: new RegExp(`^\\s*(?:(?:\\S*/)?(?:sudo|nohup|exec)\\s+(?:(?:\\S*/)?(?:${SHELL}|python[\\d.]*|perl)\\s+)?|(?:\\S*/)?(?:${SHELL}|python[\\d.]*|perl)\\s+|\\S*/)?(?:/tmp|/dev/shm|/var/tmp|/run/user/\\d+)/(?!go-build\\d+/b\\d+/(?:exe/)?[\\w.-]+(?:\\s|$))\\S+|^\\s*/(?:[\\w.-]+/)*\\.(?!(?:bin|venv|local|npm|nvm|cargo|rustup|pyenv|sdkman|vscode-server|dotnet|gradle|m2|yarn|pnpm|bun|deno|asdf)/)[\\w.-]+/[\\w.-]+(?=\\s|$)`, 'i'),
  },
  {
    id: 'nat-to-outside',
    what: 'a NAT rule redirecting traffic to an address outside private ranges (traffic hijack)',
    technique: 'T1557',
    fields: ['command'],
    // Service and CNI rules DNAT to pod, service or node addresses; a public --to-destination sends cluster traffic away.
    pattern: new RegExp(`(?:\\b(?:ip6?tables(?:-nft|-legacy)?|xtables-(?:nft|legacy)-multi)\\b[^|;]*-j\\s+DNAT\\b[^|;]*--to(?:-destination)?[ =]|\\bnft\\b[^|;]*\\bdnat\\s+(?:ip\\s+)?to\\s+)${PUBLIC_IPV4}`, 'i'),
  },
  {
    // Pod traffic for the metadata endpoints (IMDS, the ECS/EKS Pod Identity credential endpoints, Alibaba's) sent
    // elsewhere by a NAT rule: whoever answers there hands out (or harvests) the node's and pods' cloud credentials. Only a
    // metadata proxy that serves those endpoints itself (GKE's metadata server, kube2iam) installs such a rule; a CNI never does.
    id: 'metadata-redirect',
    what: 'a NAT rule redirecting cloud metadata or credential endpoint traffic (credential interception)',
    technique: 'T1557',
    fields: ['command'],
    pattern:
      /\b(?:ip6?tables(?:-nft|-legacy)?|xtables-(?:nft|legacy)-multi)\b[^|;]*(?:-d|--destination)[ =](?:169\.254\.169\.254|169\.254\.170\.(?:2|23)|fd00:ec2::(?:254|23)|100\.100\.100\.200)(?:\/(?:32|128))?\b[^|;]*-j\s+(?:DNAT|REDIRECT)\b|\bnft\b[^|;]*\bdaddr\s+(?:169\.254\.169\.254|169\.254\.170\.(?:2|23)|fd00:ec2::(?:254|23)|100\.100\.100\.200)\b[^|;]*\b(?:dnat|redirect)\b/i,
    excusedBy: (c) => !!c.redirectsInstanceMetadata,
  },
  {
    id: 'host-namespace-entry',
    what: 'entry into the host namespaces (nsenter into PID 1)',
    technique: 'T1611',
    fields: ['command', 'ancestry'],
    pattern: /\bnsenter\b[^|;]*(?:(?:-t|--target)[ =]?1\b|--all|\/proc\/1\/ns|hostproc\/1\/ns)/i,
    excusedBy: (c) => !!c.hostPrivilegedActions?.includes('nsenter'),
  },
  {
    id: 'chroot-host',
    what: 'a chroot into the host filesystem',
    technique: 'T1611',
    fields: ['command', 'ancestry'],
    pattern: /\bchroot\s+\/(?:host|hostroot|rootfs|hostfs|host-root|node|mnt\/host|mnt)\b/i,
    excusedBy: (c) => !!c.hostPrivilegedActions?.includes('chroot'),
  },
  {
    id: 'host-disk-mount',
    what: 'a mount of a host block device',
    technique: 'T1611',
    fields: ['command'],
    pattern: /(?:^|[;&|]\s*|\s-c\s+["']?)(?:[^\s;&|]*\/)?mount\s+(?:-\S+\s+(?:[^-/\s]\S*\s+)?)*\/dev\/(?:sd[a-z]|nvme\d+n\d+|xvd[a-z]|vd[a-z]|hd[a-z]|mapper\/|disk\/)\S*|(?:^|[;&|]\s*)(?:[^\s;&|]*\/)?debugfs\s/i,
    excusedBy: (c) => !!c.hostPrivilegedActions?.includes('mount'),
  },
  {
    id: 'cgroup-release-agent',
    what: 'a cgroup release_agent escape',
    technique: 'T1611',
    fields: ['command', 'file'],
    pattern: /release_agent|notify_on_release/i,
  },
  {
    id: 'runtime-socket',
    what: 'use of the container runtime socket',
    technique: 'T1611',
    fields: ['command', 'file'],
    pattern: /(?:docker|containerd|crio|cri-dockerd)\.sock\b/i,
    // A confirmed agent's own daemon started with the socket it is configured to use (not a client typed next to it).
    excusedBy: (c) => !!c.runtimeSocketClient,
    excusedForOwnProgramsOnly: true,
  },
  {
    id: 'service-account-token',
    what: 'a read of a service-account or workload-identity token',
    technique: 'T1528',
    fields: ['command', 'file'],
    // Also other pods' tokens where the kubelet keeps them on the host (projected kube-api-access volumes), read or
    // searched for from a container that reached the host's filesystem.
    pattern: /\/var\/run\/secrets\/(?:kubernetes\.io\/serviceaccount\/(?:\.\.[^/\s]+\/)?token|eks\.amazonaws\.com\/serviceaccount|azure\/tokens|tokens\/gcp-ksa)|\/run\/secrets\/kubernetes\.io\/serviceaccount\/(?:\.\.[^/\s]+\/)?token|\/var\/lib\/kubelet\/pods\b[^|;]*kube-api-access/i,
  },
  {
    // Every pod's projected token (kube-api-access-*/token) sits under the kubelet's pod directory on the host: a
    // process walking that directory for tokens is harvesting other workloads' identities (a look-alike log agent).
    id: 'kubelet-pod-tokens',
    what: "a harvest of other pods' service-account tokens from the kubelet's pod directory",
    technique: 'T1528',
    fields: ['command', 'file'],
    pattern: /\/var\/lib\/kubelet\/pods\b[^|;]*(?:kube-api-access-[^/\s|;]*\/token\b|kubernetes\.io~projected\/[^/\s|;]+\/token\b)/i,
  },
  {
    id: 'node-credentials',
    what: 'access to node or cluster-admin credentials',
    technique: 'T1552',
    fields: ['command', 'file'],
    // kubeadm paths, then RKE2 / K3s: the node password, the kubelet's client key and kubeconfig, the server token,
    // the admin kubeconfig (/etc/rancher/<dist>/<dist>.yaml) and the server's CA and credentials; then Talos: the
    // OS's runtime secrets (etcd and Kubernetes PKI under /system/secrets) and the machine configuration holding the
    // cluster's CA keys (/system/state/config.yaml).
    pattern: /\/system\/secrets\/|\/system\/state\/config\.yaml\b|\/etc\/shadow\b|\/etc\/rancher\/node\/password\b|\/var\/lib\/rancher\/(?:rke2|k3s)\/(?:agent\/(?:client-kubelet\.key|kubelet\.kubeconfig|client-kube-proxy\.key)|server\/(?:token|node-token|agent-token|tls\/|cred\/))|\/etc\/rancher\/(?:rke2\/rke2|k3s\/k3s)\.yaml\b|\/etc\/kubernetes\/(?:admin|super-admin|kubelet|controller-manager|scheduler)\.conf|\/var\/lib\/kubelet\/(?:kubeconfig|pki)|\/etc\/kubernetes\/pki\/|\.aws\/credentials|\.kube\/config\b|\/\.ssh\/id_(?:rsa|ecdsa|ed25519|dsa)\b/i,
    // An EDR agent confirmed by the cluster scans every host file with its own daemon; anyone else reading them is not excused.
    excusedBy: (c) => !!c.scansHostFiles,
    excusedForOwnProgramsOnly: true,
  },
  {
    // Another process's environment holds its secrets (tokens, passwords passed as variables). A confirmed monitoring
    // agent that reads every process's /proc by design (hostPID, host /proc mounted) is excused; nothing else is.
    id: 'process-environment',
    what: "a read of another process's environment",
    technique: 'T1552',
    // Also a walk over every process (`for p in /proc/[0-9]*; … $p/environ`, `cat /proc/*/environ`): the loop may sit
    // in the parent's command line while the sensor reports the reader (tr, cat, strings) it starts.
    fields: ['command', 'file', 'ancestry'],
    pattern: /\/proc\/(?:1|\d{2,}|\*|\[[\d-]+\][*+]?)\/environ\b|\/proc\/(?:\*|\[[\d-]+\][*+]?)[^|]*?\/environ\b/i,
    excusedBy: (c) => !!c.hostPathReads?.some((p) => p === '/proc' || p === '/host/proc' || p === '/host'),
  },
  {
    id: 'ci-runner-credentials',
    what: "a read of a CI runner's registration or authentication tokens",
    technique: 'T1552.001',
    fields: ['command'],
    // GitLab Runner's config.toml (runner tokens), the GitHub Actions runner's .credentials / .runner files: read by a
    // generic reader, not by the runner (which loads them itself).
    pattern: /^\s*(?:\S*\/)?(?:cat|less|more|head|tail|base64|xxd|od|strings|grep|awk|sed|tar|zip|curl)\s[^|;]*(?:\.gitlab-runner\/config\.toml|\/\.credentials(?:_rsaparams)?\b|\/\.runner\b)/i,
  },
  {
    id: 'credential-file-transfer',
    what: 'a credential file sent or fetched over the network',
    technique: 'T1552.001',
    fields: ['network'],
    pattern: /(?:^|[/._=-])(?:kubeconfig|kubelet\.conf|admin\.conf|super-admin\.conf|id_(?:rsa|ecdsa|ed25519|dsa))(?:$|[?#._/-])|\/\.kube\/config\b|\/\.aws\/credentials\b|serviceaccount\/token\b|\/etc\/shadow\b/i,
  },
  {
    id: 'instance-metadata-credentials',
    what: 'a request for cloud credentials from the instance metadata service',
    technique: 'T1552.005',
    fields: ['command', 'network', 'title'],
    // OCI: instance principals are the leaf certificate, its private key and the intermediate under /opc/v{1,2}/identity/.
    pattern: /\/latest\/meta-data\/iam\/security-credentials|computeMetadata\/v1\/instance\/service-accounts\/[^\s/]+\/token|\/metadata\/identity\/oauth2\/token|\/opc\/v[12]\/identity\/(?:key|cert|intermediate)\.pem|IMDS credential|instance metadata.*credential/i,
    excusedBy: (c) => !!c.usesInstanceMetadata,
  },
  {
    // IMDSv2's session token (PUT /latest/api/token) opens every metadata read, a credential theft's as well as an agent
    // learning its instance id: from anyone else it is the first step of the theft; a confirmed agent that reads its
    // instance identity needs it too.
    id: 'instance-metadata-token',
    what: 'an IMDSv2 session token request (the first step of reading instance metadata, credentials included)',
    technique: 'T1552.005',
    fields: ['command', 'network', 'title'],
    pattern: /\/latest\/api\/token/i,
    excusedBy: (c) => !!c.usesInstanceMetadata || !!c.readsInstanceIdentity,
  },
  {
    // The instance's user-data / bootstrap attributes: on managed Kubernetes they carry the node's join credentials (DOKS
    // droplet user-data holds the kubelet bootstrap token, GKE's kube-env the kubelet certificates, EKS user-data the
    // bootstrap script). The host's cloud-init reads them at boot; no pod or node agent needs them afterwards.
    id: 'instance-metadata-bootstrap',
    what: "a read of the instance's user-data or bootstrap attributes (node join credentials)",
    technique: 'T1552.005',
    fields: ['command', 'network'],
    pattern: /169\.254\.169\.254\/(?:metadata\/v1\/user-data|latest\/user-data|computeMetadata\/v1\/instance\/attributes\/(?:kube-env|user-data|startup-script)|metadata\/instance\/compute\/(?:userData|customData)|openstack\/latest\/user_data|hetzner\/v1\/userdata)|^\/(?:metadata\/v1\/user-data|latest\/user-data|computeMetadata\/v1\/instance\/attributes\/(?:kube-env|user-data|startup-script)|metadata\/instance\/compute\/(?:userData|customData)|openstack\/latest\/user_data|hetzner\/v1\/userdata)\b/i,
  },
  {
    id: 'api-recon',
    what: 'Kubernetes API reconnaissance',
    technique: 'T1613',
    fields: ['command', 'ancestry'],
    // Secrets, RBAC, self-reviews and cluster-wide listings; a component reading its own Node is not recon.
    pattern: /\bkubectl\b[^|;]*\b(?:auth\s+can-i|get\s+(?:secrets?|clusterrolebindings?|rolebindings?)\b)|\b(?:curl|wget)\b[^|;]*(?:\/api\/v1\/(?:namespaces\/[^/\s]+\/)?(?:secrets|serviceaccounts)\b|\/api\/v1\/(?:pods|namespaces)(?=[\s?"']|$)|\/apis\/rbac\.authorization|selfsubject(?:access|rules)reviews)|\bkube-hunter\b|\bpeirates\b|\bkubeletctl\b|:10250\/(?:pods|run|exec|runningpods)/i,
    excusedBy: (c) => !!c.callsApiServer,
  },
  {
    // A shell whose whole -c script is host discovery (`sh -c "id;uname -a;cat /proc/self/cgroup"`): what a webshell or
    // an injected command runs first. Only when the script is nothing else, so an entrypoint that prints `id` before
    // starting its server is not one.
    id: 'discovery-chain',
    what: 'a shell running only host discovery commands (a webshell or injected command looking around)',
    technique: 'T1082',
    fields: ['command'],
    pattern: new RegExp(
      `(?:^|[/\\s])${SHELL}\\s+-c\\s+(?:['"]\\s*)?${DISCOVERY}(?:\\s*(?:;|&&|\\|\\|)\\s*${DISCOVERY})+\\s*(?:;\\s*)?(?:['"]\\s*)?$`,
      'i',
    ),
  },
  {
    id: 'recon-tool',
    what: 'a network scanning tool',
    technique: 'T1046',
    fields: ['command', 'path'],
    pattern: /(?:^|[/\s])(?:nmap|masscan|zmap|rustscan|naabu)(?:\s|$)/i,
  },
  {
    id: 'log-tampering',
    what: 'log or history tampering',
    technique: 'T1070',
    fields: ['command'],
    pattern: /\bhistory\s+-c\b|(?:rm|shred|unlink)\s[^|;]*(?:\.bash_history|\/var\/log\/(?:audit|auth|secure|syslog|messages|wtmp|btmp|lastlog))|\bunset\s+HISTFILE\b|HISTFILE=\/dev\/null|\bshred\b[^|;]*\/var\/log|journalctl\s+--vacuum|auditctl\s+-D/i,
  },
  {
    id: 'kernel-module-load',
    what: 'a kernel module load',
    technique: 'T1547.006',
    fields: ['command'],
    pattern: /(?:^|[/\s])(?:insmod|modprobe)\s+(?!-[a-z]*[nr]\b)\S/i,
    excusedBy: (c) => !!c.hostPrivilegedActions?.includes('modprobe'),
  },
  {
    id: 'cron-persistence',
    what: 'persistence through a cron or systemd entry',
    technique: 'T1053.003',
    fields: ['command'],
    // Written by a redirect, tee, cp, mv, install or ln — also through a container's mount of the host's filesystem
    // (`> /host/etc/cron.d/x`, `cp u /rootfs/etc/systemd/system/x.service`), where the host's cron and systemd run it.
    pattern: new RegExp(`${HOST_FILE_WRITE}(?:etc\\/cron[\\w./-]*|var\\/spool\\/cron\\S*|etc\\/anacrontab\\b|(?:etc|lib|usr\\/lib)\\/systemd\\/system\\/\\S+)|\\bcrontab\\s+(?!-l\\b)`, 'i'),
  },
  {
    // What every login shell (and many service scripts) sources: a line added there runs as whoever logs in next.
    id: 'shell-profile-persistence',
    what: 'persistence through a shell startup file',
    technique: 'T1546.004',
    fields: ['command'],
    pattern: new RegExp(`${HOST_FILE_WRITE}(?:etc\\/(?:profile(?:\\.d\\/\\S*)?|bash\\.bashrc|zsh\\/zshrc|environment|rc\\.local)(?=$|[\\s'";&|])|(?:\\S*\\/)?\\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile)(?=$|[\\s'";&|]))`, 'i'),
  },
  {
    id: 'ssh-key-persistence',
    what: 'an SSH key planted for persistence',
    technique: 'T1098.004',
    fields: ['command'],
    pattern: /(?:>>?\s*|tee(?:\s+-a)?\s+|cp\s+\S+\s+|mv\s+\S+\s+)\S*\/\.ssh\/authorized_keys2?\b/i,
  },
  {
    id: 'exploit-signature',
    what: 'an exploitation attempt',
    technique: 'T1190',
    fields: ['title', 'network', 'command'],
    // Network signatures that name an exploit (ET Open / ET Pro / GPL EXPLOIT rules, "RCE attempt"), and a JNDI lookup
    // string (log4j, CVE-2021-44228) carried in a request or a command.
    pattern: /\b(?:ET|ETPRO|GPL) EXPLOIT\b|\b(?:RCE|remote code execution) attempt\b|\$\{jndi:/i,
  },
  {
    // A network sensor naming an injection attack on a web application (Zeek's HTTP::SQL_Injection_Attacker and
    // _Victim, "… SQL Injection Attempt" signatures). The detection name only: a command line or test file mentioning
    // SQL injection (a scanner's own test suite) is not one.
    id: 'injection-signature',
    what: 'an injection attack on a web application',
    technique: 'T1190',
    fields: ['title'],
    pattern: /\bSQL[_ ]?Injection(?:_\w+)?\b/i,
  },
  {
    id: 'foreign-fd-load',
    what: "a file opened or loaded through another process's descriptor under /proc (fileless load, e.g. the ingress-nginx admission webhook RCE)",
    technique: 'T1620',
    fields: ['command', 'file'],
    // /proc/<pid>/fd/<n> of another process: a deleted or in-flight buffer loaded as code (ssl_engine, LD_PRELOAD, dlopen).
    // /proc/self/fd and /dev/fd are a process's own descriptors (process substitution, runc), not this.
    pattern: /\/proc\/\d+\/fd\/\d+/i,
  },
  {
    // Every dynamically linked program loads what /etc/ld.so.preload lists: rootkits hide and hook credentials there.
    // A confirmed agent that manages the file (Dynatrace OneAgent's deep monitoring) is excused, by its own process.
    id: 'linker-preload',
    what: 'a change to the dynamic linker preload list',
    technique: 'T1574.006',
    fields: ['command', 'file'],
    pattern: /\/etc\/ld\.so\.preload\b/i,
    excusedBy: (c) => !!c.hostPathWrites?.includes('/etc/ld.so.preload'),
  },
  {
    // Every Secret of the cluster sits in etcd under /registry/secrets: listing or dumping those keys straight from
    // etcd (the node's etcd client certificate, not the API) skips RBAC and the audit log. Health and status checks
    // (endpoint health, member list) and the API server's own reads are not this.
    id: 'etcd-secret-dump',
    what: "a read of the cluster's Secrets straight from etcd",
    technique: 'T1552',
    fields: ['command'],
    pattern: /\betcdctl\b[^|;&]*\bget\s+(?:--\S+\s+)*["']?\/registry(?:\/secrets)?\/?["']?(?:\s|$)|\betcdctl\b[^|;&]*\bget\s+(?:--\S+\s+)*["']?\/registry\/secrets\b/i,
  },
  {
    // A hidden file staged in a temporary directory and uploaded with curl / wget: the archive of whatever was collected,
    // carried out (curl -T, --upload-file, -F x=@file, --data-binary @file; wget --post-file).
    id: 'staged-file-upload',
    what: 'an upload of a hidden file staged in a temporary directory',
    technique: 'T1048',
    fields: ['command'],
    pattern: /\b(?:curl\b[^|;&]*(?:\s(?:-T|--upload-file)\s+|\s-F\s+["']?[\w-]*=@|\s(?:--data-binary|--data|-d)\s+["']?@)|wget\b[^|;&]*\s--post-file[=\s])["']?(?:\/tmp|\/var\/tmp|\/dev\/shm)\/(?:[\w.-]+\/)*\.[\w.-]+/i,
  },
  {
    // A payload fetched into a hidden file in a temporary directory (curl -o /tmp/.x, wget -O /dev/shm/.x): the tool an
    // intruder brings in, named to stay out of sight. Software that downloads what it needs keeps it in its own
    // directories under visible names; its run later is script-from-temp's, this is the drop itself.
    id: 'hidden-temp-download',
    what: 'a download into a hidden file in a temporary directory',
    technique: 'T1105',
    fields: ['command', 'ancestry'],
    pattern: /\b(?:curl\b[^|;&]*\s(?:-[a-zA-Z]*o|--output)|wget\b[^|;&]*\s(?:-[a-zA-Z]*O|--output-document))[=\s]*["']?(?:\/tmp|\/var\/tmp|\/dev\/shm)\/(?:[\w.-]+\/)*\.[\w.-]+/i,
  },
  {
    // The process environment (where Kubernetes puts a pod's Secret values, cloud keys and tokens) sent over the network:
    // env / printenv piped into an upload or a raw socket, or /proc/<self|pid>/environ given to curl or wget as the body.
    // Nobody troubleshooting needs to post the environment somewhere; the redaction-free dump is the theft itself.
    id: 'environment-exfiltration',
    what: 'the process environment (Secret values, tokens) sent over the network',
    technique: 'T1552.007',
    fields: ['command', 'ancestry'],
    pattern:
      /(?:^|[;&|(\s"'])(?:env|printenv)\s*(?:\|[^;&]*)?\|\s*(?:[^\s;&|]*\/)?(?:curl|wget|nc|ncat|netcat|socat)\b|\b(?:curl|wget)\b[^|;&]*(?:\s(?:-d|--data(?:-binary|-raw|-urlencode)?|-F\s*["']?[\w-]*=|-T|--upload-file|--post-file)[\s=]*["']?@?)\/proc\/(?:self|\d+|\$\$)\/environ\b/i,
  },
  {
    // A database dump streamed straight into a raw socket or an upload to a bare address: the data leaves without ever
    // touching the disk. Backups go to object storage with its own client (aws s3 cp -, gsutil cp -, az storage),
    // not to a literal IP through curl or nc.
    id: 'dump-piped-upload',
    what: 'a database dump piped into a raw socket or an upload to a bare IP address',
    technique: 'T1048',
    fields: ['command', 'ancestry'],
    // One `[^;&]*` before the last pipe covers any pipeline: a repeated `(?:[^;&|]*\|\s*)*` after it matched nothing
    // more and backtracked exponentially on a command line of many pipes (40 hung the triage).
    pattern: /\b(?:pg_dump(?:all)?|mysqldump|mariadb-dump|mongodump|mongoexport)\b[^;&]*\|\s*(?:(?:nc|ncat|netcat|socat)\b|(?:curl|wget)\b[^;&|]*(?:https?|ftp):\/\/(?:\d{1,3}\.){3}\d{1,3}\b)/i,
  },
  {
    id: 'static-pod-persistence',
    what: 'a write to the kubelet static-pod directory',
    technique: 'T1543',
    fields: ['command', 'file'],
    // kubeadm's directory, and RKE2's / K3s's (--pod-manifest-path of their embedded kubelet).
    pattern: /\/etc\/kubernetes\/manifests\/|\/var\/lib\/rancher\/(?:rke2|k3s)\/agent\/pod-manifests\//i,
  },
  {
    id: 'exfiltration-file-sharing',
    what: 'an upload to a public file-sharing service',
    technique: 'T1567.002',
    fields: ['command', 'network'],
    // Anonymous paste and file-drop services used to carry data out (curl -T / -F / --data-binary @file to them); paste
    // sites (pastebin.com and its clones) serve the same purpose for text: dumped secrets, keys, kubeconfigs.
    pattern: /\b(?:pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.co|dpaste\.(?:com|org)|rentry\.co|controlc\.com|privatebin\.net|paste\.rs|transfer\.sh|file\.io|0x0\.st|temp\.sh|bashupload\.com|oshi\.at|tmpfiles\.org|catbox\.moe|litterbox\.catbox\.moe|gofile\.io|anonfiles\.com|termbin\.com|ufile\.io|filebin\.net|pixeldrain\.com|keep\.sh|free\.keep\.sh|paste\.c-net\.org)\b/i,
  },
];
