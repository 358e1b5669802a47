import type { ChannelKind } from '@tower/domain';

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
}

const SIGNAL_TITLES: Readonly<Record<string, string>> = {
  sales_dip: '销量下滑 Sales dip',
  target_miss: '未达目标 Target miss',
  complaint_spike: '投诉激增 Complaint spike',
  severe_complaint: '严重投诉 Severe complaint',
  margin_erosion: '毛利侵蚀 Margin erosion',
  competitor_undercut: '竞品低价 Competitor undercut',
  stage_stalled: '阶段停滞 Stage stalled',
  launch_item_overdue: '上线事项逾期 Launch item overdue',
};

function title(message: TaskMessage): string {
  const what = SIGNAL_TITLES[message.signal] ?? message.signal;
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

/** The JSON body each channel's robot expects (WeCom and DingTalk markdown, a Feishu card, plain JSON). */
export function formatNotification(kind: ChannelKind, message: TaskMessage): Record<string, unknown> {
  switch (kind) {
    case 'wecom':
      return {
        msgtype: 'markdown',
        markdown: { content: [...lines(message), `[查看任务 Open task](${message.url})`].join('\n') },
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
      return {
        msg_type: 'interactive',
        card: {
          header: {
            title: { tag: 'plain_text', content: title(message) },
            template: message.severity === 'critical' || message.severity === 'high' ? 'red' : 'orange',
          },
          elements: [
            { tag: 'div', text: { tag: 'lark_md', content: lines(message).slice(1).join('\n') } },
            {
              tag: 'action',
              actions: [
                {
                  tag: 'button',
                  text: { tag: 'plain_text', content: '查看任务 Open task' },
                  url: message.url,
                  type: 'primary',
                },
              ],
            },
          ],
        },
      };
    case 'webhook':
      return {
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
