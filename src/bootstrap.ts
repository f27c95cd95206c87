import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { proxyTrust } from './infra/http/client-address';
import { clientErrorHandler, frameworkErrorHandler } from './infra/http/framework-errors';
import { FrontDoor } from './infra/http/front-door';
import { HttpExceptionFilter } from './infra/http/http-exception.filter';
import { boundedJsonParser, createValidationPipe } from './infra/http/validation';

/** The largest REST body: a broadcast or an ad template in two languages is a few KB; the webhook has its own limit. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function createAdapter(config: AppConfig): FastifyAdapter {
  const frontDoor = new FrontDoor({ bodyLimit: BODY_LIMIT_BYTES, ...config.http });
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: proxyTrust(config.trustProxy),
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    serverFactory: frontDoor.serverFactory(),
  });
  frontDoor.attachTo(adapter);
  return adapter;
}
export const APP_OPTIONS = { bufferLogs: true, abortOnError: false };

/** Builds the whole application; main.ts listens on it, tests inject into it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createAdapter(config),
    APP_OPTIONS,
  );
  return configureApp(app);
}

/** Logger, pipes, filters and the OpenAPI page; shared with tests that build the app from a testing module. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  app.useBodyParser(
    'application/json',
    { bodyLimit: BODY_LIMIT_BYTES },
    boundedJsonParser(fastify.getDefaultJsonParser('error', 'error')),
  );
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Salon booking API')
      .setDescription(
        'Locations, services, specialists, schedules and bookings. Authenticate with a bearer token.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}
