import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../../common/current-actor.decorator';
import { DomainError, ErrorCode } from '../../common/errors';
import { RedisService } from '../redis/redis.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisService,
  ) {}

  /** 200 when the database and Redis both answer, 503 otherwise. */
  @Public()
  @Get()
  @HealthCheck()
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.probe();
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      // Keep the error body shape of every other endpoint; the message names what is down.
      const result = err.getResponse() as HealthCheckResult;
      const down = Object.entries(result.error ?? {}).map(
        ([name, v]) => `${name} down (${String(v?.message ?? v?.status)})`,
      );
      throw new DomainError(ErrorCode.ServiceUnavailable, `unhealthy: ${down.join(', ')}`, { ...result });
    }
  }

  private probe(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1000 }),
      async () => {
        const redis = this.indicator.check('redis');
        try {
          await this.redis.ping();
          return redis.up();
        } catch (err) {
          return redis.down({ message: (err as Error).message });
        }
      },
    ]);
  }
}
