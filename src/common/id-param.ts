import { Param } from '@nestjs/common';
import { ParseIdPipe } from './parse-id.pipe';

/** A path id, 1..MAX_ID; a bad one is a 400 naming the parameter. */
export const IdParam = (name = 'id') => Param(name, ParseIdPipe);
