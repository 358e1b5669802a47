import { createHmac } from 'node:crypto';
import { wordFor, type ChannelKind } from '@tower/domain';

/** What a notification says, whatever the channel. No personal data ever goes in here. */
export interface TaskMessage {
  readonly reason: string;
  readonly taskId: string;
  readonly signal: string;
  readonly severity: string;
  readonly productName: string;
  readonly branchName: string | null;
  readonly summary: string;
  readonly firedOn: string | null;
  readonly dueAt: string;
  readonly escalationLevel: number;
  readonly url: string;
  /** The notification's id: the same on every attempt, so a receiver can drop a repeat. */
  readonly deliveryId: string;
}

/** WeCom group robots refuse markdown `content` over 4,096 bytes (UTF-8). */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

/**
 * Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character, ending in `…` when cut.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (size > budget) break;
    out += char;
    budget -= size;
  }
  return out + ellipsis;
}

/** WeCom markdown: the task link always survives; the evidence lines are cut to fit the limit. */
function wecomContent(message: TaskMessage): string {
  const link = `[查看任务 Open task](${message.url})`;
  const body = lines(message).join('\n');
  const room = WECOM_MARKDOWN_MAX_BYTES - Buffer.byteLength(`\n${link}`, 'utf8');
  return `${truncateUtf8(body, room)}\n${link}`;
}

function title(message: TaskMessage): string {
  // Both languages, as the rest of the message: the signal's words from the domain (its id if unknown).
  const zh = wordFor('signals', message.signal, 'zh');
  const what = zh === message.signal ? zh : `${zh} ${wordFor('signals', message.signal, 'en')}`;
  const prefix = message.reason.startsWith('escalated')
    ? `[升级 Escalated L${message.escalationLevel}] `
    : '';
  return `${prefix}${what} · ${message.productName}`;
}

function lines(message: TaskMessage): string[] {
  return [
    `**${title(message)}**`,
    `> 严重程度 Severity: ${message.severity}`,
    ...(message.branchName ? [`> 院区 Branch: ${message.branchName}`] : []),
    `> 依据 Evidence: ${message.summary}${message.firedOn ? ` (${message.firedOn})` : ''}`,
    `> 请在 ${message.dueAt} 前确认 Acknowledge by ${message.dueAt}`,
  ];
}

/** A Feishu interactive card: a coloured header, a markdown block and one button. */
function feishuCard(card: {
  title: string;
  colour: string;
  text: string;
  button: { label: string; url: string };
}): Record<string, unknown> {
  return {
    msg_type: 'interactive',
    card: {
      header: { title: { tag: 'plain_text', content: card.title }, template: card.colour },
      elements: [
        { tag: 'div', text: { tag: 'lark_md', content: card.text } },
        {
          tag: 'action',
          actions: [
            {
              tag: 'button',
              text: { tag: 'plain_text', content: card.button.label },
              url: card.button.url,
              type: 'primary',
            },
          ],
        },
      ],
    },
  };
}

/** The JSON body each channel's robot expects (WeCom and DingTalk markdown, a Feishu card, plain JSON). */
export function formatNotification(kind: ChannelKind, message: TaskMessage): Record<string, unknown> {
  switch (kind) {
    case 'wecom':
      return {
        msgtype: 'markdown',
        markdown: { content: wecomContent(message) },
      };
    case 'dingtalk':
      return {
        msgtype: 'markdown',
        markdown: {
          title: title(message),
          text: [...lines(message), `[查看任务 Open task](${message.url})`].join('\n\n'),
        },
      };
    case 'feishu':
      return feishuCard({
        title: title(message),
        colour: message.severity === 'critical' || message.severity === 'high' ? 'red' : 'orange',
        text: lines(message).slice(1).join('\n'),
        button: { label: '查看任务 Open task', url: message.url },
      });
    case 'webhook':
      return {
        deliveryId: message.deliveryId,
        event: message.reason.startsWith('escalated') ? 'task.escalated' : `task.${message.reason}`,
        task: {
          id: message.taskId,
          signal: message.signal,
          severity: message.severity,
          summary: message.summary,
          firedOn: message.firedOn,
          dueAt: message.dueAt,
          escalationLevel: message.escalationLevel,
          url: message.url,
        },
        product: { name: message.productName },
        branch: message.branchName ? { name: message.branchName } : null,
      };
  }
}

/** Did the robot accept it? WeCom/DingTalk answer `errcode: 0`, Feishu `code: 0`, others any 2xx. */
export function isAccepted(kind: ChannelKind, status: number, body: unknown): boolean {
  if (status < 200 || status >= 300) return false;
  if (kind === 'webhook') return true;
  const answer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const code = kind === 'feishu' ? (answer.code ?? answer.StatusCode) : answer.errcode;
  return code === undefined || code === 0;
}

export interface SignedRequest {
  readonly url: string;
  readonly body: Record<string, unknown>;
}

/**
 * Signs a robot request as its vendor documents, when the channel has a secret:
 * - DingTalk 加签: `timestamp` (ms) and `sign` = URL-encoded Base64 of HMAC-SHA256 keyed with the
 *   secret over `timestamp + "\n" + secret`, appended to the webhook URL's query;
 * - Feishu 签名校验: `timestamp` (s) and `sign` = Base64 of HMAC-SHA256 keyed with
 *   `timestamp + "\n" + secret` over an empty message, added to the JSON body.
 * Other kinds (and channels without a secret) go unchanged.
 */
export function signRequest(
  kind: ChannelKind,
  request: SignedRequest,
  secret: string | null | undefined,
  now: Date,
): SignedRequest {
  if (!secret) return request;
  switch (kind) {
    case 'dingtalk': {
      const timestamp = String(now.getTime());
      const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
      const url = new URL(request.url);
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('sign', sign);
      return { url: url.toString(), body: request.body };
    }
    case 'feishu': {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
      return { url: request.url, body: { timestamp, sign, ...request.body } };
    }
    case 'wecom':
    case 'webhook':
      return request;
  }
}

/** What a channel test says: who asked for it and where the dashboard is. No personal data beyond a name. */
export interface ChannelTestMessage {
  readonly requestedBy: string;
  readonly dashboardUrl: string;
  readonly deliveryId: string;
}

const TEST_TITLE = '测试消息 Test message · 产品塔 Product Tower';
const TEST_TEXT =
  '这条消息来自产品塔，用于检查通知渠道是否接通；看到它即表示任务提醒能送达。\n' +
  'This message from Product Tower checks the notification channel: if you can read it, task alerts will arrive.';

/** A test message in each channel's own format (the same shapes as a task notification). */
export function formatChannelTest(kind: ChannelKind, message: ChannelTestMessage): Record<string, unknown> {
  const by = `> 发起人 Requested by: ${message.requestedBy}`;
  const link = `[打开产品塔 Open Product Tower](${message.dashboardUrl})`;
  switch (kind) {
    case 'wecom':
      return {
        msgtype: 'markdown',
        markdown: { content: [`**${TEST_TITLE}**`, TEST_TEXT, by, link].join('\n') },
      };
    case 'dingtalk':
      return {
        msgtype: 'markdown',
        markdown: { title: TEST_TITLE, text: [`**${TEST_TITLE}**`, TEST_TEXT, by, link].join('\n\n') },
      };
    case 'feishu':
      return feishuCard({
        title: TEST_TITLE,
        colour: 'turquoise',
        text: `${TEST_TEXT}\n${by}`,
        button: { label: '打开产品塔 Open Product Tower', url: message.dashboardUrl },
      });
    case 'webhook':
      return {
        deliveryId: message.deliveryId,
        event: 'channel.test',
        text: TEST_TEXT,
        requestedBy: message.requestedBy,
        url: message.dashboardUrl,
      };
  }
}
