import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES = {
  'index.html': 'text/html; charset=utf-8',
  'sandbox.js': 'text/javascript; charset=utf-8',
  'sandbox.css': 'text/css; charset=utf-8',
} as const;
export type PageFile = keyof typeof FILES;

/** static/sandbox at the repository root, seen from src/gateway/sandbox or from dist/src/gateway/sandbox. */
function pageDir(): string {
  const candidates = [
    join(__dirname, '../../../static/sandbox'),
    join(__dirname, '../../../../static/sandbox'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the sandbox page is missing: looked in ${candidates.join(', ')}`);
  return found;
}

/** The page's three files (no build step, nothing from a CDN), read once. */
export class SandboxPage {
  private readonly files = new Map<PageFile, { body: Buffer; type: string }>();

  constructor() {
    const dir = pageDir();
    for (const [name, type] of Object.entries(FILES)) {
      this.files.set(name as PageFile, { body: readFileSync(join(dir, name)), type });
    }
  }

  file(name: PageFile): { body: Buffer; type: string } {
    return this.files.get(name)!;
  }
}
