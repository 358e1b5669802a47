import { Alert, Button, Space } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import { ApiError } from '../../../lib/api';
import { labelOf, useLocale } from '../../../lib/i18n';
import { reasonToWords } from '../../../lib/reasons';
import { useProductActions, type LifecycleEvent } from '../api/products';
import { useMessage } from '../../../components/message';

// The reason's dialog loads its code on the first event that needs one.
const ReasonModal = lazy(() => import('./reason-modal').then((m) => ({ default: m.ReasonModal })));

/** Events that close or roll back a product: asked for a reason first. */
const NEEDS_REASON = new Set(['REJECT', 'RETIRE', 'REPRICE', 'REPACKAGE', 'RETRAIN', 'APPROVE_BELOW_FLOOR']);

/**
 * The events the product's current state accepts, as buttons; a refusal shows the gate's reasons in
 * words (422) or the events that are allowed (409), never a raw error.
 */
export function EventBar({
  productId,
  allowedEvents,
  compact,
}: {
  productId: string;
  allowedEvents: string[];
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const message = useMessage();
  const actions = useProductActions(productId);
  const [refusal, setRefusal] = useState<{ event: string; lines: string[] } | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  // Mounted from the first ask on, so the dialog can close with its animation.
  const asked = useAsked(asking !== null);
  const [reason, setReason] = useState('');

  const send = (type: string, why?: string) => {
    setRefusal(null);
    actions.sendEvent.mutate(
      { type: type as LifecycleEvent, ...(why ? { reason: why } : {}) },
      {
        onSuccess: () => {
          setAsking(null);
          setReason('');
          void message.success(t('product.sent', { event: labelOf(labels.event, type) }));
        },
        onError: (e) => {
          setAsking(null);
          if (e instanceof ApiError && e.status === 422 && e.reasons.length > 0) {
            setRefusal({ event: type, lines: e.reasons.map((r) => reasonToWords(r, locale)) });
          } else if (e instanceof ApiError && e.status === 409 && e.allowed.length > 0) {
            setRefusal({
              event: type,
              lines: [
                t('product.notAllowed', {
                  allowed: e.allowed.map((a) => labelOf(labels.event, a)).join('、'),
                }),
              ],
            });
          } else {
            setRefusal({ event: type, lines: [errorText(e, t)] });
          }
        },
      },
    );
  };

  return (
    <div>
      <Space wrap size="small">
        {allowedEvents.map((event) => (
          <Button
            key={event}
            size={compact ? 'small' : 'middle'}
            type={event === 'REJECT' ? 'default' : 'primary'}
            danger={event === 'REJECT'}
            loading={actions.sendEvent.isPending && actions.sendEvent.variables?.type === event}
            onClick={() => (NEEDS_REASON.has(event) ? setAsking(event) : send(event))}
          >
            {labelOf(labels.event, event)}
          </Button>
        ))}
      </Space>
      {refusal && (
        <Alert
          style={{ marginTop: 8 }}
          type="error"
          showIcon
          closable={{ onClose: () => setRefusal(null) }}
          title={t('product.refused', { event: labelOf(labels.event, refusal.event) })}
          description={
            <ul data-testid="refusal-reasons" style={{ margin: 0, paddingInlineStart: 18 }}>
              {refusal.lines.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          }
        />
      )}
      {asked && (
        <Suspense fallback={null}>
          <ReasonModal
            open={asking !== null}
            title={asking ? labelOf(labels.event, asking) : ''}
            reason={reason}
            sending={actions.sendEvent.isPending}
            onReason={setReason}
            onSubmit={() => asking && send(asking, reason)}
            onCancel={() => setAsking(null)}
          />
        </Suspense>
      )}
    </div>
  );
}

/** True from the first time `now` is true on. */
function useAsked(now: boolean): boolean {
  const [ever, setEver] = useState(now);
  if (now && !ever) setEver(true);
  return ever || now;
}
