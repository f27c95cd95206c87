import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { BROADCAST_DEAD_QUEUE, BROADCAST_QUEUE, P2P_DEAD_QUEUE, P2P_QUEUE } from './notification-queues';
import { quietWarnings } from './quiet-warnings';

/**
 * A BullMQ queue re-emits its connection's errors; an 'error' event nobody listens to would crash
 * the process when Redis goes away. Logged instead (each text once per 30 s): the queues reconnect
 * by themselves.
 */
@Injectable()
export class QueueErrors {
  private readonly warn = quietWarnings(new Logger(QueueErrors.name));

  // In the constructor, right after the queues exist: their first connection error comes within milliseconds.
  constructor(
    @InjectQueue(P2P_QUEUE) p2p: Queue,
    @InjectQueue(P2P_DEAD_QUEUE) p2pDead: Queue,
    @InjectQueue(BROADCAST_QUEUE) broadcast: Queue,
    @InjectQueue(BROADCAST_DEAD_QUEUE) broadcastDead: Queue,
  ) {
    for (const queue of [p2p, p2pDead, broadcast, broadcastDead]) {
      queue.on('error', (err: Error) => this.warn(`queue ${queue.name}: ${err.message}`));
    }
  }
}
