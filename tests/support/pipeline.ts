import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The seed's pipeline on one machine: tlog-rec recording a shell in tmux,
// rsyslog reading what it writes and shipping it with omelasticsearch, using
// the documented config (docs/rsyslog/tlog-elasticsearch.conf) verbatim but
// for its input, server and index.

const DOC_CONFIG = path.resolve(import.meta.dirname, '../../docs/rsyslog/tlog-elasticsearch.conf');

export function rsyslogConfig(options: {
  workDir: string;
  tlogFile: string;
  esPort: number;
  index: string;
  errorFile: string;
  /** For a secured cluster: the documented https, CA and user lines. */
  tls?: { caFile: string; user: string; password: string };
}): string {
  const doc = readFileSync(DOC_CONFIG, 'utf8');
  const replace = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`documented config lacks ${from}`);
    return text.replace(from, to);
  };
  let config = doc;
  // Containers have no journal: read tlog-rec's file output instead, tagged
  // as tlog-rec --writer=syslog would be.
  config = replace(
    config,
    'module(load="imjournal" StateFile="imjournal.state")',
    `module(load="imfile" mode="polling" PollingInterval="1")\n` +
      `input(type="imfile" File="${options.tlogFile}" Tag="tlog" Severity="info")`,
  );
  config = replace(config, 'server="es.example.org"', 'server="127.0.0.1"');
  config = replace(config, 'serverport="9200"', `serverport="${options.esPort}"`);
  config = replace(config, 'searchIndex="oplog-tlog"', `searchIndex="${options.index}"`);
  config = replace(
    config,
    'errorFile="/var/log/rsyslog-tlog-es-errors.json"',
    `errorFile="${options.errorFile}"`,
  );
  if (options.tls) {
    config = replace(config, 'usehttps="off"', '');
    config = replace(
      config,
      '# usehttps="on" tls.cacert="/etc/rsyslog.d/es-ca.pem"',
      `usehttps="on" tls.cacert="${options.tls.caFile}"`,
    );
    config = replace(
      config,
      '# uid="rsyslog-tlog" pwd="..."',
      `uid="${options.tls.user}" pwd="${options.tls.password}"`,
    );
  }
  return `global(workDirectory="${options.workDir}")\n${config}`;
}

export function startRsyslog(configFile: string, pidFile: string, logFile: string) {
  const check = spawnSync('rsyslogd', ['-N1', '-f', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`rsyslog refuses the config: ${check.stderr}`);
  const child = spawn('rsyslogd', ['-n', '-f', configFile, '-i', pidFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    writeFileSync(logFile, stderr);
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    stderr: () => stderr,
  };
}

/** Records `commands` typed into bash under tlog-rec, in a tmux pane of the given size. */
export async function recordShell(file: string, commands: string[], size = { cols: 90, rows: 25 }) {
  if (!existsSync('/var/run/utmp')) writeFileSync('/var/run/utmp', '');
  const session = `auditty-pipeline-${process.pid}`;
  const shell = `env -i HOME=/tmp TERM=xterm-256color LANG=C.UTF-8 PS1='$ ' tlog-rec --writer=file --file-path=${file} /bin/bash --norc --noprofile`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', session, '-f', '/dev/null', ...args]);
  tmux('new-session', '-d', '-s', 'rec', '-x', String(size.cols), '-y', String(size.rows), shell);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await sleep(500);
  for (const command of [...commands, 'exit']) {
    tmux('send-keys', '-t', 'rec', command, 'Enter');
    await sleep(400);
  }
  for (let i = 0; i < 100; i++) {
    const alive = spawnSync('tmux', ['-L', session, 'has-session', '-t', 'rec']).status === 0;
    if (!alive) return;
    await sleep(100);
  }
  throw new Error('the recorded shell did not exit');
}
