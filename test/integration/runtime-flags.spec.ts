import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const flagsOf = (command: string) => command.split(/[\s",[\]]+/).filter((arg) => arg.startsWith('--'));

/** The app's Node flags (README, "Running in production") are the same however it is started. */
describe('Node runtime flags', () => {
  const prod = flagsOf(
    (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start:prod'],
  );

  it('start:prod sets the young generation size, turns off allocation-site pretenuring and caps the old generation', () => {
    expect(prod).toContain('--min-semi-space-size=16');
    expect(prod).toContain('--no-allocation-site-pretenuring');
    expect(prod).toContain('--max-old-space-size=160');
  });

  it('npm start (nest start) and the Docker image use the same flags', () => {
    expect(flagsOf((JSON.parse(read('nest-cli.json')) as { exec: string }).exec)).toEqual(prod);
    const cmd = read('Dockerfile')
      .split('\n')
      .find((line) => line.startsWith('CMD '));
    expect(flagsOf(cmd ?? '')).toEqual(prod);
  });
});
