import { Injectable } from '@nestjs/common';

/** The time source; tests swap it to travel to a DST day or past a cutoff. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
