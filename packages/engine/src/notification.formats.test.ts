import { describe, expect, it } from 'vitest';
import { formatChannelTest, formatNotification, type TaskMessage } from './notification.formats.js';

const message: TaskMessage = {
  reason: 'opened',
  taskId: '7d4f7a3e-3f5b-4c1e-9b7a-2f6e1c0d9a11',
  signal: 'severe_complaint',
  severity: 'high',
  productName: '热玛吉 FLX',
  branchName: '上海静安院',
  summary: 'adverse_reaction reported',
  firedOn: '2026-11-02',
  dueAt: '2026-11-02 12:00',
  escalationLevel: 0,
  url: 'https://tower.example/tasks/7d4f7a3e',
  deliveryId: 'd-1',
};

type Card = {
  msg_type: string;
  card: {
    header: { title: { content: string }; template: string };
    elements: [{ text: { content: string } }, { actions: [{ url: string; text: { content: string } }] }];
  };
};

describe('Feishu cards', () => {
  it('carry a task as a red card for high severity, its lines and a button to the task', () => {
    const body = formatNotification('feishu', message) as Card;
    expect(body.msg_type).toBe('interactive');
    expect(body.card.header.title.content).toContain('热玛吉 FLX');
    expect(body.card.header.template).toBe('red');
    expect(body.card.elements[0].text.content).toContain('院区 Branch: 上海静安院');
    expect(body.card.elements[1].actions[0].url).toBe(message.url);
  });

  it('are orange for a medium task, and turquoise for a channel test linking the dashboard', () => {
    const medium = formatNotification('feishu', { ...message, severity: 'medium' }) as Card;
    expect(medium.card.header.template).toBe('orange');
    const test = formatChannelTest('feishu', {
      requestedBy: 'Admin',
      dashboardUrl: 'https://tower.example',
      deliveryId: 'd-2',
    }) as Card;
    expect(test.card.header.template).toBe('turquoise');
    expect(test.card.elements[0].text.content).toContain('Requested by: Admin');
    expect(test.card.elements[1].actions[0]).toMatchObject({
      url: 'https://tower.example',
      text: { content: '打开产品塔 Open Product Tower' },
    });
  });
});
