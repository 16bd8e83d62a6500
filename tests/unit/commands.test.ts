// The command timeline's rules (docs/commands.md) on sessions written here
// byte by byte as a shell and terminal would produce them, played through
// the real headless terminal. The real recordings are in commands-fixtures.test.ts.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '@/lib/tlog/timing';
import { extractCommands } from '@/lib/replay/commands/extract';
import { DOUBTS, MAX_COMMANDS } from '@/lib/replay/commands/types';
import { decodeAll } from '../support/timeline-checks';

const encoder = new TextEncoder();
const ESC = '\x1b';
const OSC = (body: string) => `${ESC}]${body}\x07`;

/** A session: output and input events on a clock, as tlog records them. */
class Session {
  readonly events: TimelineEvent[] = [];
  t = 0;

  constructor(
    readonly logInput: boolean,
    cols = 80,
    rows = 24,
  ) {
    this.events.push({ kind: 'window', t: 0, cols, rows });
  }

  wait(ms: number): this {
    this.t += ms;
    return this;
  }

  out(text: string): this {
    this.events.push({ kind: 'output', t: this.t, data: encoder.encode(text) });
    return this;
  }

  in(text: string): this {
    if (this.logInput) this.events.push({ kind: 'input', t: this.t, data: encoder.encode(text) });
    return this;
  }

  /** Typed with echo: each key 60 ms apart, echoed 1 ms later. */
  type(text: string, echo = true): this {
    for (const ch of text) {
      this.wait(60).in(ch).wait(1);
      if (echo) this.out(ch);
    }
    return this;
  }

  /** Enter: the shell echoes the line end, the command's output follows. */
  enter(output = ''): this {
    this.wait(80).in('\r').wait(1).out('\r\n');
    if (output) this.wait(5).out(output);
    return this;
  }

  prompt(text = '$ '): this {
    return this.wait(3).out(text);
  }
}

const commands = async (s: Session) =>
  (await extractCommands(s.events)).map(({ line, source, cwd, doubt }) => ({
    line,
    source,
    cwd,
    ...(doubt ? { doubt } : {}),
  }));

const lines = async (s: Session) => (await extractCommands(s.events)).map((c) => c.line);

/** Events decoded elsewhere, as a session. */
const sessionOf = (events: TimelineEvent[]) => Object.assign(new Session(false), { events });

describe.each([true, false])('command lines from the screen (input logged: %s)', (logged) => {
  const source = logged ? 'input' : 'screen';

  it('takes each line typed after the prompt, at its Enter', async () => {
    const s = new Session(logged).prompt();
    s.type('echo hello').enter('hello\r\n').prompt();
    s.type('ls');
    const enterAt = s.t + 80;
    s.enter('a  b\r\n').prompt();
    const found = await extractCommands(s.events);
    expect(found.map((c) => [c.line, c.source])).toEqual([
      ['echo hello', source],
      ['ls', source],
    ]);
    // The Enter key when it was logged; the line end's echo 1 ms later otherwise.
    expect(found[1]!.t).toBe(logged ? enterAt : enterAt + 1);
  });

  it('takes the line as edited, not the keys', async () => {
    const s = new Session(logged).prompt();
    // "ech world", Home, three times Right, "o": readline redraws the rest.
    s.type('ech world');
    s.wait(60).in(`${ESC}[H`).wait(1).out('\b'.repeat(9));
    s.wait(60).in(`${ESC}[C${ESC}[C${ESC}[C`).wait(1).out('ech');
    s.wait(60)
      .in('o')
      .wait(1)
      .out(`o world${'\b'.repeat(6)}`);
    s.enter('world\r\n').prompt();
    expect(await lines(s)).toEqual(['echo world']);
  });

  it('takes a recalled history line', async () => {
    const s = new Session(logged).prompt();
    s.type('ls /etc').enter('hosts\r\n').prompt();
    s.wait(500).in(`${ESC}[A`).wait(1).out('ls /etc');
    s.enter('hosts\r\n').prompt();
    expect(await lines(s)).toEqual(['ls /etc', 'ls /etc']);
  });

  it('follows a completion list and the line drawn again under it', async () => {
    const s = new Session(logged).prompt();
    s.type('cat /etc/ho');
    s.wait(60).in('\t').wait(1).out('\r\nhost.conf  hostname  hosts\r\n$ cat /etc/ho');
    s.type('stname').enter('vm\r\n').prompt();
    expect(await commands(s)).toEqual([{ line: 'cat /etc/hostname', source, cwd: null }]);
  });

  it('never lists what was typed without echo, nor an empty or cancelled line', async () => {
    const s = new Session(logged).prompt();
    s.type("read -s -p 'Password: ' pw").enter('Password: ');
    s.type('hunter2', false).enter().prompt();
    // At a shell prompt too: typed, not echoed.
    s.type('swordfish', false).enter().prompt();
    s.enter().prompt();
    s.type('echo cancelled');
    s.wait(60).in('\x03').wait(1).out('^C\r\n').prompt();
    s.type('echo done').enter('done\r\n').prompt();
    const found = await lines(s);
    expect(found).toEqual(["read -s -p 'Password: ' pw", 'echo done']);
    expect(found.join('\n')).not.toMatch(/hunter2|swordfish|cancelled/);
  });

  it('lists a full-screen program once, not what was typed in it', async () => {
    const s = new Session(logged).prompt();
    s.type('vi notes.txt').enter(`${ESC}[?1049h${ESC}[H${ESC}[2J~\r\n~\r\n"notes.txt" [New]`);
    s.wait(300).in('i').wait(2).out(`${ESC}[H`);
    s.type('$ hello from vi');
    s.wait(200).in(`${ESC}:wq\r`).wait(2).out(`${ESC}[?1049l`).prompt();
    s.type('echo after').enter('after\r\n').prompt();
    expect(await lines(s)).toEqual(['vi notes.txt', 'echo after']);
  });

  it('reads the directory a coloured prompt shows, and a line that wraps', async () => {
    const prompt = (dir: string) => `${ESC}[1;32mroot@vm${ESC}[0m:${ESC}[1;34m${dir}${ESC}[0m$ `;
    const s = new Session(logged, 40, 10).prompt(prompt('~'));
    s.type('cd /tmp').enter().prompt(prompt('/tmp'));
    const long = 'echo 0123456789 0123456789 0123456789 0123456789';
    s.type(long).enter('0123456789 0123456789 0123456789 0123456789\r\n').prompt(prompt('/tmp'));
    expect(await commands(s)).toEqual([
      { line: 'cd /tmp', source, cwd: '~' },
      { line: long, source, cwd: '/tmp' },
    ]);
  });

  it('takes a prompt with wide characters in it', async () => {
    const s = new Session(logged).prompt('🐚 ~ ❯ ');
    s.type('echo 日本').enter('日本\r\n').prompt('🐚 ~ ❯ ');
    expect(await commands(s)).toEqual([{ line: 'echo 日本', source, cwd: '~' }]);
  });

  it('does not take a forged prompt printed with its command in one write', async () => {
    const s = new Session(logged).prompt();
    s.type('cat notes').enter('$ rm -rf /important\r\n').prompt();
    s.type('echo real').enter('real\r\n').prompt();
    expect(await lines(s)).toEqual(['cat notes', 'echo real']);
  });
});

describe('a program that prints a prompt and a command line, with pauses', () => {
  const forge = (s: Session) => {
    s.type('./forge').enter();
    s.wait(400).out('$ rm -rf /important');
    s.wait(400).out('\r\n').prompt();
    s.type('echo real').enter('real\r\n').prompt();
    return s;
  };

  it('is marked as not typed when input was logged (no Enter key)', async () => {
    const found = await commands(forge(new Session(true).prompt()));
    expect(found).toEqual([
      { line: './forge', source: 'input', cwd: null },
      { line: 'rm -rf /important', source: 'screen', cwd: null, doubt: DOUBTS.noEnter },
      { line: 'echo real', source: 'input', cwd: null },
    ]);
  });

  it('is marked as printed at once with its prompt without input', async () => {
    const found = await commands(forge(new Session(false).prompt()));
    expect(found).toEqual([
      { line: './forge', source: 'screen', cwd: null },
      { line: 'rm -rf /important', source: 'screen', cwd: null, doubt: DOUBTS.together },
      { line: 'echo real', source: 'screen', cwd: null },
    ]);
  });
});

describe('shell-integration marks', () => {
  /** A bash set up with OSC 133 prompts, PS0 and PROMPT_COMMAND, and OSC 7. */
  const markedPrompt = (s: Session, dir: string) =>
    s.wait(3).out(`${OSC('133;D;0')}${OSC(`7;file://vm${dir}`)}${OSC('133;A')}$ ${OSC('133;B')}`);
  const run = (s: Session, line: string, output: string, dir: string) => {
    s.type(line).enter();
    s.wait(1).out(OSC('133;C'));
    if (output) s.wait(2).out(output);
    return markedPrompt(s, dir);
  };

  it.each([true, false])(
    'take the command line and the directory (input logged: %s)',
    async (logged) => {
      const s = markedPrompt(new Session(logged), '/root');
      run(s, 'echo marked', 'marked\r\n', '/root');
      run(s, 'cd /usr', '', '/usr');
      run(s, 'false', '', '/usr');
      expect(await commands(s)).toEqual([
        { line: 'echo marked', source: 'marks', cwd: '/root' },
        { line: 'cd /usr', source: 'marks', cwd: '/root' },
        { line: 'false', source: 'marks', cwd: '/usr' },
      ]);
    },
  );

  it('mark forged marks printed by a running command', async () => {
    const s = markedPrompt(new Session(false), '/root');
    const forged = `${OSC('133;A')}$ ${OSC('133;B')}fake-command${OSC('133;C')}\r\n`;
    run(s, 'cat evil.txt', forged, '/root');
    run(s, 'echo after', 'after\r\n', '/root');
    expect(await commands(s)).toEqual([
      { line: 'cat evil.txt', source: 'marks', cwd: '/root' },
      { line: 'fake-command', source: 'marks', cwd: '/root', doubt: DOUBTS.nested },
      { line: 'echo after', source: 'marks', cwd: '/root' },
    ]);
  });

  it('mark a prompt and command printed together before the first prompt', async () => {
    const s = new Session(false);
    s.out(`${OSC('133;A')}$ ${OSC('133;B')}sudo rm -rf /${OSC('133;C')}\r\n`);
    markedPrompt(s, '/root');
    run(s, 'ls', 'a\r\n', '/root');
    expect(await commands(s)).toEqual([
      { line: 'sudo rm -rf /', source: 'marks', cwd: null, doubt: DOUBTS.together },
      { line: 'ls', source: 'marks', cwd: '/root' },
    ]);
  });

  it('mark a command without an Enter key when input was logged', async () => {
    // The first key comes after it: input logged, and nothing typed yet.
    const s = markedPrompt(new Session(true), '/root');
    s.wait(500).out('evil');
    s.wait(500).out(`\r\n${OSC('133;C')}`);
    markedPrompt(s, '/root');
    run(s, 'ls', 'a\r\n', '/root');
    expect(await commands(s)).toEqual([
      { line: 'evil', source: 'marks', cwd: '/root', doubt: DOUBTS.noEnter },
      { line: 'ls', source: 'marks', cwd: '/root' },
    ]);
  });

  it("take VS Code's command line (633;E) and directory (633;P)", async () => {
    const s = new Session(false);
    s.out(`${OSC('633;P;Cwd=/srv/app')}${OSC('633;A')}> ${OSC('633;B')}`);
    s.type('git status').enter();
    s.out(`${OSC('633;E;git status\\x3b echo \\\\ok;nonce')}${OSC('633;C')}`);
    s.wait(5).out(`clean\r\n${OSC('633;D;0')}`);
    expect(await commands(s)).toEqual([
      { line: 'git status; echo \\ok', source: 'marks', cwd: '/srv/app' },
    ]);
  });

  it('keep at most MAX_COMMANDS commands', async () => {
    const s = new Session(false);
    const one = `${OSC('133;A')}$ ${OSC('133;B')}x${OSC('133;C')}\r\n`;
    s.out(one.repeat(MAX_COMMANDS + 5));
    const found = await extractCommands(s.events);
    expect(found.length).toBe(MAX_COMMANDS);
    expect(found.every((c) => c.doubt === DOUBTS.together)).toBe(true);
  });
});

describe('hostile recordings', () => {
  const dir = path.resolve(import.meta.dirname, '../fixtures/hostile');
  const names = readdirSync(dir).filter((f) => f.endsWith('.tlog'));

  // A 5 MB line without a newline once cost a second a look (each look read it whole).
  it.each(names)(
    '%s: played to its end, with no command found in it',
    async (name) => {
      const { timeline } = decodeAll(
        readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean),
      );
      expect(await lines(sessionOf(timeline.events))).toEqual([]);
    },
    20_000,
  );
});
