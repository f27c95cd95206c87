// The sandbox chat page: renders what the bot sends (recorded Bot API calls, live over server-sent
// events) and turns typing and pressing into Telegram-shaped updates through /sandbox/api/*.
'use strict';

const API = '/sandbox/api';
const STORE_KEY = 'sandbox.chats';
const ROLE_LABELS = { admin: 'demo admin', specialist: 'demo specialist', client: 'demo client' };

const state = {
  personas: [],
  /** chat id -> chat (see openChat) */
  chats: new Map(),
  /** answerCallbackQuery entries whose press has not returned yet: callback id -> entry */
  unclaimedAnswers: new Map(),
  live: false,
};

const $ = (selector, root = document) => root.querySelector(selector);

async function api(method, path, body) {
  const res = await fetch(API + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || `${res.status} ${res.statusText}`);
  return data;
}

// ---- text rendering -------------------------------------------------------------------------------

const ALLOWED_TAGS = /&lt;(\/?)(b|strong|i|em|u|ins|s|strike|del|code|pre|blockquote|tg-spoiler)&gt;/g;

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Telegram's HTML parse mode, limited to its formatting tags; everything else stays text. */
function renderHtml(text) {
  const escaped = text
    .replace(/&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return escaped
    .replace(ALLOWED_TAGS, (_m, slash, tag) => `<${slash}${tag === 'tg-spoiler' ? 'span' : tag}>`)
    .replace(/&lt;a href="(https?:[^"<>]*)"&gt;/g, '<a href="$1" target="_blank" rel="noopener">')
    .replace(/&lt;\/a&gt;/g, '</a>');
}

function renderText(text, parseMode) {
  if (parseMode === 'HTML') return renderHtml(text);
  if (parseMode === 'MarkdownV2') return escapeHtml(text.replace(/\\([_*[\]()~`>#+\-=|{}.!\\])/g, '$1'));
  return escapeHtml(text);
}

function timeOf(iso) {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

// ---- chats ----------------------------------------------------------------------------------------

function personaUser(persona) {
  const [firstName, ...rest] = persona.name.split(' ');
  return {
    id: persona.tgId,
    firstName,
    ...(rest.length ? { lastName: rest.join(' ') } : {}),
    languageCode: persona.language,
  };
}

function saveChats() {
  const list = [...state.chats.values()].map((c) => ({ user: c.user, role: c.role, phone: c.phone }));
  localStorage.setItem(STORE_KEY, JSON.stringify(list));
}

function openChat({ user, role, phone }) {
  if (state.chats.has(user.id)) return state.chats.get(user.id);
  const pane = $('#pane-template').content.firstElementChild.cloneNode(true);
  pane.dataset.chatId = String(user.id);
  pane.dataset.role = role;
  const fullName = [user.firstName, user.lastName].filter(Boolean).join(' ');
  $('.avatar', pane).textContent = fullName.slice(0, 1).toUpperCase();
  $('.name', pane).textContent = fullName;
  $('.role', pane).textContent =
    `${ROLE_LABELS[role] || 'new client'} · ${user.languageCode || 'en'} · id ${user.id}`;
  const chat = {
    user,
    role,
    phone,
    pane,
    messages: new Map(),
    applied: new Set(),
    replyKeyboard: null,
    buffer: null,
    pendingCallbacks: new Set(),
  };
  $('.close', pane).addEventListener('click', () => closeChat(chat));
  $('.composer', pane).addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('input', event.currentTarget);
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    sendText(chat, text);
  });
  $('.kb-toggle', pane).addEventListener('click', () => {
    $('.reply-kb', pane).hidden = !$('.reply-kb', pane).hidden;
  });
  $('#panes').appendChild(pane);
  state.chats.set(user.id, chat);
  saveChats();
  if (state.live) loadTranscript(chat);
  return chat;
}

function closeChat(chat) {
  chat.pane.remove();
  state.chats.delete(chat.user.id);
  saveChats();
}

async function loadTranscript(chat) {
  chat.buffer = [];
  let entries;
  try {
    entries = await api('GET', `/chats/${chat.user.id}/transcript`);
  } catch (err) {
    chat.buffer = null;
    return showToast(chat, `Could not load the chat: ${err.message}`, true);
  }
  chat.messages.clear();
  chat.applied.clear();
  chat.replyKeyboard = null;
  $('.messages', chat.pane).replaceChildren();
  renderReplyKeyboard(chat);
  const buffered = chat.buffer;
  chat.buffer = null;
  for (const entry of entries) apply(chat, entry, false);
  for (const entry of buffered) apply(chat, entry, true);
}

// ---- entries: what the bot did, or what the user sent ----------------------------------------------

function entryKey(entry) {
  return `${entry.from}:${entry.method}:${entry.seq}`;
}

function route(entry) {
  if (entry.method === 'answerCallbackQuery') {
    const id = entry.payload.callback_query_id;
    for (const chat of state.chats.values()) {
      if (chat.pendingCallbacks.has(id)) return answered(chat, entry);
    }
    state.unclaimedAnswers.set(id, entry);
    if (state.unclaimedAnswers.size > 50)
      state.unclaimedAnswers.delete(state.unclaimedAnswers.keys().next().value);
    return;
  }
  const chat = state.chats.get(entry.chatId);
  if (!chat) return;
  if (chat.buffer) chat.buffer.push(entry);
  else apply(chat, entry, true);
}

function apply(chat, entry, live) {
  const key = entryKey(entry);
  if (chat.applied.has(key)) return;
  chat.applied.add(key);
  const p = entry.payload;
  if (entry.from === 'user') {
    addMessage(chat, { id: entry.seq, from: 'user', text: p.text, contact: p.contact, at: entry.at });
    return;
  }
  switch (entry.method) {
    case 'editMessageText':
      return updateMessage(chat, p.message_id, (m) => {
        m.text = p.text;
        m.parseMode = p.parse_mode;
        m.inline = inlineOf(p.reply_markup);
        m.edited = true;
      });
    case 'editMessageCaption':
      return updateMessage(chat, p.message_id, (m) => {
        m.text = p.caption || '';
        m.parseMode = p.parse_mode;
        m.inline = inlineOf(p.reply_markup);
        m.edited = true;
      });
    case 'editMessageReplyMarkup':
      return updateMessage(chat, p.message_id, (m) => {
        m.inline = inlineOf(p.reply_markup);
      });
    case 'deleteMessage':
      return removeMessage(chat, p.message_id);
    case 'deleteMessages':
      return (p.message_ids || []).forEach((id) => removeMessage(chat, id));
    case 'sendChatAction':
    case 'copyMessage':
      return;
    default:
      if (!entry.method.startsWith('send')) return;
      addMessage(chat, {
        id: entry.seq,
        from: 'bot',
        text: p.text ?? p.caption ?? `[${entry.method.slice(4).toLowerCase()}]`,
        parseMode: p.parse_mode,
        inline: inlineOf(p.reply_markup),
        at: entry.at,
      });
      applyReplyMarkup(chat, p.reply_markup);
  }
  if (live) scrollDown(chat);
}

function inlineOf(markup) {
  return markup && Array.isArray(markup.inline_keyboard) ? markup.inline_keyboard : null;
}

function applyReplyMarkup(chat, markup) {
  if (!markup) return;
  if (markup.remove_keyboard) chat.replyKeyboard = null;
  else if (Array.isArray(markup.keyboard)) chat.replyKeyboard = markup;
  else return;
  renderReplyKeyboard(chat);
}

// ---- messages ---------------------------------------------------------------------------------------

function addMessage(chat, message) {
  const el = document.createElement('div');
  el.className = `msg ${message.from}`;
  el.dataset.messageId = String(message.id);
  message.el = el;
  chat.messages.set(Number(message.id), message);
  renderMessage(chat, message);
  $('.messages', chat.pane).appendChild(el);
  scrollDown(chat);
}

function updateMessage(chat, id, change) {
  const message = chat.messages.get(Number(id));
  if (!message) return;
  change(message);
  renderMessage(chat, message);
}

function removeMessage(chat, id) {
  const message = chat.messages.get(Number(id));
  if (!message) return;
  message.el.remove();
  chat.messages.delete(Number(id));
}

function renderMessage(chat, message) {
  const parts = [];
  if (message.contact) {
    parts.push(
      `<div class="text contact">${escapeHtml(`${message.contact.first_name}: ${message.contact.phone_number}`)}</div>`,
    );
  } else {
    parts.push(`<div class="text">${renderText(message.text || '', message.parseMode)}</div>`);
  }
  parts.push(`<div class="meta">${message.edited ? 'edited ' : ''}${timeOf(message.at)}</div>`);
  message.el.innerHTML = parts.join('');
  if (message.inline) message.el.appendChild(inlineKeyboard(chat, message));
}

function inlineKeyboard(chat, message) {
  const kb = document.createElement('div');
  kb.className = 'inline-kb';
  for (const row of message.inline) {
    const rowEl = document.createElement('div');
    rowEl.className = 'row';
    for (const button of row) {
      const el = document.createElement('button');
      el.type = 'button';
      el.textContent = button.text;
      if (button.callback_data !== undefined) {
        el.addEventListener('click', () => pressButton(chat, message.id, button.callback_data));
      } else if (button.url) {
        el.addEventListener('click', () => window.open(button.url, '_blank', 'noopener'));
      } else {
        el.disabled = true;
        el.title = 'Not available in the sandbox';
      }
      rowEl.appendChild(el);
    }
    kb.appendChild(rowEl);
  }
  return kb;
}

function renderReplyKeyboard(chat) {
  const box = $('.reply-kb', chat.pane);
  const toggle = $('.kb-toggle', chat.pane);
  box.replaceChildren();
  const markup = chat.replyKeyboard;
  $('input', chat.pane).placeholder = (markup && markup.input_field_placeholder) || 'Message (try /start)';
  box.hidden = !markup;
  toggle.hidden = !markup;
  if (!markup) return;
  for (const row of markup.keyboard) {
    const rowEl = document.createElement('div');
    rowEl.className = 'row';
    for (const raw of row) {
      const button = typeof raw === 'string' ? { text: raw } : raw;
      const el = document.createElement('button');
      el.type = 'button';
      el.textContent = button.text;
      el.addEventListener('click', () => {
        if (markup.one_time_keyboard) box.hidden = true;
        if (button.request_contact) shareContact(chat);
        else sendText(chat, button.text);
      });
      rowEl.appendChild(el);
    }
    box.appendChild(rowEl);
  }
}

function scrollDown(chat) {
  const box = $('.messages', chat.pane);
  box.scrollTop = box.scrollHeight;
}

function showToast(chat, text, alert) {
  const toast = $('.toast', chat.pane);
  toast.textContent = text;
  toast.classList.toggle('alert', Boolean(alert));
  toast.hidden = false;
  clearTimeout(chat.toastTimer);
  chat.toastTimer = setTimeout(() => (toast.hidden = true), alert ? 4000 : 2000);
}

function answered(chat, entry) {
  chat.pendingCallbacks.delete(entry.payload.callback_query_id);
  if (entry.payload.text) showToast(chat, entry.payload.text, entry.payload.show_alert);
}

// ---- what the user does ---------------------------------------------------------------------------

async function sendText(chat, text) {
  try {
    await api('POST', '/messages', { user: chat.user, text });
  } catch (err) {
    showToast(chat, err.message, true);
  }
}

async function shareContact(chat) {
  const phone = chat.phone || window.prompt('Phone number to share', '+491701234567');
  if (!phone) return;
  chat.phone = phone;
  saveChats();
  try {
    await api('POST', '/contacts', { user: chat.user, phone });
  } catch (err) {
    showToast(chat, err.message, true);
  }
}

async function pressButton(chat, messageId, data) {
  try {
    const { callbackQueryId } = await api('POST', '/callbacks', { user: chat.user, messageId, data });
    const early = state.unclaimedAnswers.get(callbackQueryId);
    if (early) {
      state.unclaimedAnswers.delete(callbackQueryId);
      answered(chat, early);
    } else {
      chat.pendingCallbacks.add(callbackQueryId);
    }
  } catch (err) {
    showToast(chat, err.message, true);
  }
}

// ---- page -----------------------------------------------------------------------------------------

async function loadPersonas() {
  state.personas = await api('GET', '/personas');
  $('#demo-banner').hidden = state.personas.every((p) => p.exists);
}

function openPersona(role) {
  const persona = state.personas.find((p) => p.role === role);
  if (persona) openChat({ user: personaUser(persona), role, phone: persona.phone });
}

function connectFeed() {
  const status = $('#feed-status');
  const feed = new EventSource(`${API}/events`);
  feed.addEventListener('ready', () => {
    state.live = true;
    status.textContent = 'live';
    status.classList.add('live');
    for (const chat of state.chats.values()) loadTranscript(chat);
  });
  feed.addEventListener('entry', (event) => route(JSON.parse(event.data)));
  feed.addEventListener('error', () => {
    state.live = false;
    status.textContent = 'reconnecting…';
    status.classList.remove('live');
  });
}

async function createDemoSalon() {
  const button = $('#demo-create');
  const status = $('#demo-status');
  button.disabled = true;
  status.textContent = 'Creating the demo salon (a few seconds)…';
  try {
    await api('POST', '/demo-salon');
    status.textContent = 'Done.';
    await loadPersonas();
  } catch (err) {
    status.textContent = err.message;
    status.classList.add('error');
  } finally {
    button.disabled = false;
  }
}

async function main() {
  await loadPersonas();
  document.querySelectorAll('[data-open-role]').forEach((el) => {
    el.addEventListener('click', () => openPersona(el.dataset.openRole));
  });
  $('#new-client-toggle').addEventListener('click', () => {
    $('#new-client').hidden = !$('#new-client').hidden;
  });
  $('#new-client').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const user = {
      id: 800000000 + Math.floor(Math.random() * 100000000),
      firstName: String(form.get('name')).trim(),
      languageCode: String(form.get('language')),
    };
    const phone = String(form.get('phone') || '').trim();
    openChat({ user, role: 'new', phone: phone || undefined });
    event.currentTarget.reset();
    event.currentTarget.hidden = true;
  });
  $('#demo-create').addEventListener('click', createDemoSalon);
  const saved = JSON.parse(localStorage.getItem(STORE_KEY) || 'null');
  if (saved) saved.forEach(openChat);
  else ['client', 'admin'].forEach(openPersona);
  connectFeed();
}

main().catch((err) => {
  document.body.insertAdjacentHTML('beforeend', `<p class="error">${escapeHtml(err.message)}</p>`);
});
