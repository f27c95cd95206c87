/**
 * An ack is the only brake Telegram listens to: it keeps at most `max_connections` (40) webhook
 * requests open and sends the next update when one is answered. Acking at once whatever the backlog
 * moves a flood from Telegram's queue into ours and spends the CPU that would answer users on acking
 * updates that can only wait (10,000 acks/s left ~1,300 replies/s).
 *
 * So while this instance's processing is behind (`behind()`: updates pile up in memory), an update
 * already journaled is answered when an update is processed or when it has been held `holdMs`,
 * whichever comes first. Telegram then delivers about as fast as the bot answers; its own queue holds
 * the rest of a flood (for 24 h), not our Redis. When processing keeps up nothing is held. Held acks
 * go in arrival order; one timer, armed for the oldest, lets expired ones go.
 */
export class AckPacer {
  private held: ({ release: () => void; since: number } | undefined)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly holdMs: number,
    private readonly behind: () => boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Acks held now. */
  get holding(): number {
    return this.held.length - this.head;
  }

  /** Undefined when the ack may go at once; otherwise resolves when it may. */
  hold(): Promise<void> | undefined {
    if (!this.behind()) return undefined;
    return new Promise<void>((release) => {
      this.held.push({ release, since: this.now() });
      this.timer ??= setTimeout(() => this.expire(), this.holdMs);
    });
  }

  /** An update was processed: the longest-held ack goes, and all of them once processing has caught up. */
  processed(): void {
    if (this.holding === 0) return;
    this.releaseOne();
    if (!this.behind()) this.releaseAll();
  }

  /** Lets every held ack go (shutdown). */
  releaseAll(): void {
    while (this.holding > 0) this.releaseOne();
  }

  private releaseOne(): void {
    const { release } = this.held[this.head]!;
    // Released slots are emptied at once: a release holds its request's whole continuation.
    this.held[this.head++] = undefined;
    if (this.head === this.held.length) {
      this.held = [];
      this.head = 0;
      clearTimeout(this.timer);
      this.timer = undefined;
    } else if (this.head > 1024 && this.head * 2 > this.held.length) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
    release();
  }

  private expire(): void {
    this.timer = undefined;
    const due = this.now() - this.holdMs;
    while (this.holding > 0 && this.held[this.head]!.since <= due) this.releaseOne();
    if (this.holding > 0) {
      const wait = this.held[this.head]!.since + this.holdMs - this.now();
      this.timer = setTimeout(() => this.expire(), Math.max(1, wait));
    }
  }
}
