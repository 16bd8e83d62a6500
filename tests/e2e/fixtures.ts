import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

// Page objects for the e2e specs, and the real fixtures they play.

const RECORDINGS = path.resolve(import.meta.dirname, '../fixtures/recordings');

/** The real fixtures: one recording each in the list. */
export const FIXTURE_COUNT = readdirSync(RECORDINGS).filter((f) => f.endsWith('.tlog')).length;

export function fixtureLines(name: string): string[] {
  return readFileSync(path.join(RECORDINGS, `${name}.tlog`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export function fixtureRec(name: string): string {
  const first = fixtureLines(name)[0];
  if (!first) throw new Error(`fixture ${name} is empty`);
  const rec: unknown = JSON.parse(first).rec;
  if (typeof rec !== 'string') throw new Error(`fixture ${name} has no rec`);
  return rec;
}

export class PlayerPage {
  readonly root: Locator;
  readonly screen: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('player');
    this.screen = page.locator('[data-testid=terminal] .xterm-rows');
  }

  async open(fixture: string, query = ''): Promise<void> {
    await this.page.goto(`/recordings/${fixtureRec(fixture)}${query}`);
  }

  async state(): Promise<string | null> {
    return this.root.getAttribute('data-state');
  }

  async time(): Promise<number> {
    return Number(await this.root.getAttribute('data-time'));
  }

  button(name: 'Play' | 'Pause'): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }
}

export const test = base.extend<{ player: PlayerPage }>({
  player: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await use(new PlayerPage(page));
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
