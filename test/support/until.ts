/**
 * The one way a test waits for background work: retries `check` until it passes, past the deadline throws its
 * last failure. `check` passes when it neither throws nor returns false, so an assertion and a condition both work.
 */
export async function until(check: () => unknown, timeoutMs = 8000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      if ((await check()) !== false) return;
      failure = new Error(`timed out waiting for ${what}`);
    } catch (err) {
      failure = err;
    }
    if (Date.now() > deadline) throw failure;
    await new Promise((r) => setTimeout(r, 10));
  }
}
