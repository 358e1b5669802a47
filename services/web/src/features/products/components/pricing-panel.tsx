import { Button, Descriptions, InputNumber, Space, Tag } from 'antd';
import { DataTable } from '../../../components/deferred';
import { formatFen, PRICE_TYPES, type PriceType } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import type { ProductDetail } from '../../../lib/api-types';
import { useLocale } from '../../../lib/i18n';
import { useProductActions } from '../api/products';
import { useMessage } from '../../../components/message';
import { Panel } from '../../../components/panel';

const COSTS = ['consumablesFen', 'labourFen', 'overheadFen', 'marketingFen'] as const;
const COST_LABELS = {
  consumablesFen: 'consumables',
  labourFen: 'labour',
  overheadFen: 'overhead',
  marketingFen: 'marketing',
} as const;
const yuan = (fen: number | undefined | null) => (fen === undefined || fen === null ? null : fen / 100);
const fen = (y: number | null) => (y === null ? undefined : Math.round(y * 100));

export function PricingPanel({ product }: { product: ProductDetail }) {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const message = useMessage();
  const actions = useProductActions(product.id);
  const fail = (e: unknown) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);
  const [costs, setCosts] = useState<Record<(typeof COSTS)[number], number | null>>(
    () =>
      Object.fromEntries(COSTS.map((c) => [c, yuan(product.costs?.[c])])) as Record<
        (typeof COSTS)[number],
        number | null
      >,
  );
  const [prices, setPrices] = useState<Record<PriceType, { amount: number | null; sessions: number | null }>>(
    () =>
      Object.fromEntries(
        PRICE_TYPES.map((type) => {
          const p = product.prices.find((x) => x.type === type);
          return [type, { amount: yuan(p?.amountFen), sessions: p?.sessions ?? null }];
        }),
      ) as Record<PriceType, { amount: number | null; sessions: number | null }>,
  );
  const listFen = fen(prices.list.amount);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Panel size="small" title={t('product.costs')}>
        <Space wrap>
          {COSTS.map((c) => (
            <label key={c}>
              {t(`product.${COST_LABELS[c]}`)}{' '}
              <InputNumber
                aria-label={t(`product.${COST_LABELS[c]}`)}
                min={0}
                precision={2}
                prefix="¥"
                value={costs[c]}
                onChange={(v) => setCosts((s) => ({ ...s, [c]: v }))}
              />
            </label>
          ))}
          <Button
            loading={actions.saveCosts.isPending}
            disabled={COSTS.some((c) => costs[c] === null)}
            onClick={() =>
              actions.saveCosts.mutate(
                {
                  consumablesFen: fen(costs.consumablesFen) ?? 0,
                  labourFen: fen(costs.labourFen) ?? 0,
                  overheadFen: fen(costs.overheadFen) ?? 0,
                  marketingFen: fen(costs.marketingFen) ?? 0,
                },
                { onSuccess: () => void message.success(t('common.saved')), onError: fail },
              )
            }
          >
            {t('common.save')}
          </Button>
        </Space>
        <Descriptions
          size="small"
          style={{ marginTop: 12 }}
          items={[
            {
              key: 'unit',
              label: t('product.unitCost'),
              children: product.costs ? formatFen(product.costs.unitCostFen, locale) : '—',
            },
            {
              key: 'floor',
              label: `${t('product.floor')}（${labels.tier[product.tier as keyof typeof labels.tier] ?? product.tier}）`,
              children: (
                <span data-testid="floor">
                  {product.floorFen === null ? '—' : formatFen(product.floorFen, locale)}
                </span>
              ),
            },
          ]}
        />
      </Panel>
      <Panel size="small" title={t('product.prices')}>
        <DataTable
          rowKey="type"
          size="small"
          pagination={false}
          dataSource={PRICE_TYPES.map((type) => ({ type }))}
          columns={[
            {
              title: t('common.name'),
              dataIndex: 'type',
              render: (type: PriceType) => labels.priceType[type],
            },
            {
              title: t('product.amount'),
              dataIndex: 'type',
              key: 'amount',
              render: (type: PriceType) => (
                <InputNumber
                  aria-label={`${labels.priceType[type]} ${t('product.amount')}`}
                  min={0.01}
                  precision={2}
                  prefix="¥"
                  value={prices[type].amount}
                  onChange={(v) => setPrices((s) => ({ ...s, [type]: { ...s[type], amount: v } }))}
                />
              ),
            },
            {
              title: t('product.sessions'),
              dataIndex: 'type',
              key: 'sessions',
              render: (type: PriceType) =>
                type === 'session_card' ? (
                  <InputNumber
                    aria-label={t('product.sessions')}
                    min={2}
                    precision={0}
                    value={prices[type].sessions}
                    onChange={(v) => setPrices((s) => ({ ...s, [type]: { ...s[type], sessions: v } }))}
                  />
                ) : null,
            },
            {
              title: t('product.floor'),
              dataIndex: 'type',
              key: 'floor',
              render: (type: PriceType) => {
                const amount = fen(prices[type].amount);
                if (amount === undefined || product.floorFen === null) return '—';
                return amount < product.floorFen ? (
                  <Tag color="#a8071a">{t('product.belowFloor')}</Tag>
                ) : (
                  <Tag color="#237804">≥ {formatFen(product.floorFen, locale)}</Tag>
                );
              },
            },
            {
              title: t('product.headroom'),
              dataIndex: 'type',
              key: 'headroom',
              render: (type: PriceType) => {
                const amount = fen(prices[type].amount);
                if (type === 'list' || amount === undefined || listFen === undefined) return '—';
                return `${(((listFen - amount) / amount) * 100).toFixed(1)} %`;
              },
            },
          ]}
        />
        <Button
          type="primary"
          style={{ marginTop: 12 }}
          loading={actions.savePrices.isPending}
          onClick={() =>
            actions.savePrices.mutate(
              PRICE_TYPES.flatMap((type) => {
                const amountFen = fen(prices[type].amount);
                if (amountFen === undefined) return [];
                const sessions = prices[type].sessions;
                return [{ type, amountFen, ...(type === 'session_card' && sessions ? { sessions } : {}) }];
              }),
              { onSuccess: () => void message.success(t('common.saved')), onError: fail },
            )
          }
        >
          {t('common.save')}
        </Button>
      </Panel>
    </Space>
  );
}
