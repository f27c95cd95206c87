import {
  Body,
  Controller,
  Get,
  HttpCode,
  OnModuleDestroy,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { BotSandbox, RecordedBotCall } from '../../bot/api';
import { Public } from '../../common/current-actor.decorator';
import { endOnDrain } from '../../infra/http/front-door';
import { DemoSalonRunner } from './demo-salon-runner';
import { SandboxAccessGuard } from './sandbox-access.guard';
import { ParseChatIdPipe, PressButtonDto, SendTextDto, ShareContactDto } from './sandbox.dto';
import { PageFile, SandboxPage } from './sandbox-page';
import { PersonaView, PressedButton, SandboxService, SentMessage } from './sandbox.service';

const HEARTBEAT_MS = 15_000;

/** GET /sandbox: a Telegram-like chat page for trying the bot without Telegram (no BOT_TOKEN, this machine only). */
@ApiExcludeController()
@Public()
@UseGuards(SandboxAccessGuard)
@Controller('sandbox')
export class SandboxController implements OnModuleDestroy {
  private readonly streams = new Set<ServerResponse>();

  constructor(
    private readonly service: SandboxService,
    private readonly sandbox: BotSandbox,
    private readonly page: SandboxPage,
    private readonly demo: DemoSalonRunner,
  ) {}

  @Get()
  index(@Res() reply: FastifyReply): void {
    this.serve(reply, 'index.html');
  }

  @Get('sandbox.js')
  script(@Res() reply: FastifyReply): void {
    this.serve(reply, 'sandbox.js');
  }

  @Get('sandbox.css')
  styles(@Res() reply: FastifyReply): void {
    this.serve(reply, 'sandbox.css');
  }

  @Get('api/personas')
  personas(): Promise<PersonaView[]> {
    return this.service.personas();
  }

  @Get('api/chats/:chatId/transcript')
  transcript(@Param('chatId', ParseChatIdPipe) chatId: number): Promise<RecordedBotCall[]> {
    return this.service.transcript(chatId);
  }

  @Post('api/messages')
  sendText(@Body() dto: SendTextDto): Promise<SentMessage> {
    return this.service.sendText(dto.user, dto.text);
  }

  @Post('api/contacts')
  shareContact(@Body() dto: ShareContactDto): Promise<SentMessage> {
    return this.service.shareContact(dto.user, dto.phone);
  }

  @Post('api/callbacks')
  pressButton(@Body() dto: PressButtonDto): Promise<PressedButton> {
    return this.service.pressButton(dto.user, dto.messageId, dto.data);
  }

  @Post('api/demo-salon')
  @HttpCode(200)
  demoSalon(): Promise<Record<string, unknown>> {
    return this.demo.run();
  }

  /**
   * Server-sent events: every transcript entry of every chat as it is recorded (`event: entry`),
   * after one `event: ready` once the feed is live (the page then reads the transcripts it shows).
   */
  @Get('api/events')
  async events(@Res() reply: FastifyReply): Promise<void> {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    endOnDrain(res);
    this.streams.add(res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    let closed = false;
    res.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      this.streams.delete(res);
    });
    const unsubscribe = await this.sandbox.subscribe((entry) =>
      res.write(`event: entry\ndata: ${JSON.stringify(entry)}\n\n`),
    );
    if (closed) return unsubscribe();
    res.on('close', unsubscribe);
    res.write('event: ready\ndata: {}\n\n');
  }

  /** Open streams would hold the HTTP server's close forever. */
  onModuleDestroy(): void {
    for (const res of this.streams) res.end();
  }

  private serve(reply: FastifyReply, name: PageFile): void {
    const { body, type } = this.page.file(name);
    void reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
  }
}
