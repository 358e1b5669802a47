import { Empty, Timeline } from 'antd';

import { formatInstant } from '@tower/domain';
import { labelOf, useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { useHistory } from '../api/products';

/** The product's life cycle as a timeline: when, which event, from → to, who, why. */
export function ProductHistory({ productId }: { productId: string }) {
  const { labels } = useLocale();
  const org = useOrg();
  const history = useHistory(productId);
  if (!history.data || history.data.length === 0) return <Empty />;
  return (
    <Timeline
      items={history.data.map((h, i) => ({
        key: i,
        content: (
          <span>
            {formatInstant(h.at)} · {labelOf(labels.event, h.event)} ·{' '}
            {h.from ? labelOf(labels.stage, h.from) : '—'} → {labelOf(labels.stage, h.to)} ·{' '}
            {org.personName(h.actor)}
            {h.reason ? ` · ${h.reason}` : ''}
          </span>
        ),
      }))}
    />
  );
}
