import type { Language } from '../../booking/api';
import type { Role } from '../../common/actor';

export interface DemoPersona {
  role: Role;
  /** Fixed Telegram ids: the demo salon's users and the sandbox page's chats are the same people. */
  tgId: number;
  name: string;
  phone: string;
  language: Language;
}

/** One user per role of the demo salon (`npm run seed:demo`), each with a chat on the sandbox page. */
export const DEMO_PERSONAS: readonly DemoPersona[] = [
  { role: 'admin', tgId: 700000001, name: 'Alice Admin', phone: '+15550100001', language: 'en' },
  { role: 'specialist', tgId: 700000002, name: 'Sofia Stylist', phone: '+15550100002', language: 'en' },
  { role: 'client', tgId: 700000003, name: 'Chris Client', phone: '+15550100003', language: 'en' },
];

export const demoPersona = (role: Role): DemoPersona => DEMO_PERSONAS.find((p) => p.role === role)!;
