/**
 * Waits until `work` settles (fulfilled or rejected alike) or `ms` have passed, whichever is first;
 * the timer is cleared either way, so a finished wait holds nothing open.
 */
export async function waitAtMost(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([work.then(noop, noop), late]);
  } finally {
    clearTimeout(timer);
  }
}

const noop = () => undefined;
