import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { CurrentActor } from '../../common/current-actor.decorator';
import { Page } from '../../common/pagination';
import { UsersApi } from '../api/users.api';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto } from '../api/users.dto';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersApi) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListUsersQuery): Promise<Page<UserDto>> {
    return this.users.list(actor, query);
  }

  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<UserDto> {
    return this.users.me(actor);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<UserDto> {
    return this.users.get(actor, id);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto);
  }

  @Patch(':id')
  update(@CurrentActor() actor: Actor, @IdParam() id: number, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(actor, id, dto);
  }

  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<UserDto> {
    return this.users.remove(actor, id);
  }
}
