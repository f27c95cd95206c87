import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/current-actor.decorator';
import { languageFromAcceptLanguage } from './accept-language';
import { OtpRequestedDto, OtpSessionDto, RequestOtpDto, VerifyOtpDto } from './otp.dto';
import { OtpService } from './otp.service';

@ApiTags('auth')
@Controller('api/v1/auth/otp')
export class OtpController {
  constructor(private readonly otp: OtpService) {}

  @Public()
  @Post('request')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: OtpRequestedDto,
    description: 'the same answer whether or not the phone is known',
  })
  @ApiTooManyRequestsResponse({
    description: 'per-IP or per-phone request limit, or the phone is locked; see Retry-After',
  })
  request(@Body() dto: RequestOtpDto, @Req() req: FastifyRequest): Promise<OtpRequestedDto> {
    return this.otp.request(dto, req.ip ?? 'unknown');
  }

  @Public()
  @Post('verify')
  @HttpCode(200)
  @ApiOkResponse({
    type: OtpSessionDto,
    description:
      'a public-client session; a first login creates the client account, in the language of Accept-Language (ru or en) or else the salon default',
  })
  @ApiUnauthorizedResponse({ description: 'wrong, expired, used or never requested code' })
  @ApiTooManyRequestsResponse({
    description: 'the phone is locked after too many wrong codes; see Retry-After',
  })
  verify(@Body() dto: VerifyOtpDto, @Req() req: FastifyRequest): Promise<OtpSessionDto> {
    return this.otp.verify(dto, languageFromAcceptLanguage(req.headers['accept-language']));
  }
}
