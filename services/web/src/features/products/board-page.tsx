import { Empty } from 'antd';

import { STAGES } from '@tower/domain';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageState } from '../../components/page-state';
import { labelOf, useLocale } from '../../lib/i18n';
import { useAllProducts } from '../../lib/products';
import { EventBar } from './components/event-bar';
import { Typography } from '../../components/typography';
import { Panel } from '../../components/panel';

/** A column per stage, a card per product with the events its state accepts. */
export function BoardPage() {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const products = useAllProducts();
  return (
    <div>
      <Typography.Title level={2}>{t('board.title')}</Typography.Title>
      <PageState query={products} empty={products.data?.length === 0} emptyText={t('product.empty')}>
        <div
          style={{ display: 'flex', gap: 12, overflowX: 'auto', alignItems: 'flex-start', paddingBottom: 12 }}
        >
          {STAGES.map((stage) => {
            const inStage = (products.data ?? []).filter((p) => p.stage === stage);
            return (
              <section
                key={stage}
                aria-label={labels.stage[stage]}
                style={{ minWidth: 230, flex: '0 0 230px' }}
              >
                <Typography.Title level={3} style={{ fontSize: 16 }}>
                  {labels.stage[stage]} ({inStage.length})
                </Typography.Title>
                {inStage.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.empty')} />
                ) : (
                  inStage.map((p) => (
                    <Panel
                      key={p.id}
                      size="small"
                      style={{ marginBottom: 8 }}
                      title={<Link to={`/products/${p.id}`}>{p.name}</Link>}
                    >
                      <Typography.Text type="secondary">{labelOf(labels.tier, p.tier)}</Typography.Text>
                      <div style={{ marginTop: 8 }}>
                        <EventBar productId={p.id} allowedEvents={p.allowedEvents} compact />
                      </div>
                    </Panel>
                  ))
                )}
              </section>
            );
          })}
        </div>
      </PageState>
    </div>
  );
}
