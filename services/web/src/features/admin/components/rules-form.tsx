import { Alert, Button, Checkbox, Collapse, Form, InputNumber, Select, Space, Switch } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { COMPLAINT_CATEGORIES, ROLES, SEVERITIES, type DomainLabels, type Rules } from '@tower/domain';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { errorText, PageState } from '../../../components/page-state';
import { Typography } from '../../../components/typography';
import { useMessage } from '../../../components/message';
import { api, ApiError, unwrap, type RequestBody } from '../../../lib/api';
import { fieldProblemWords, pointerToPath, showFieldErrors } from '../../../lib/form-errors';
import { useLocale } from '../../../lib/i18n';
import { rulesChanges, slaToForm, slaFromForm, type RulesValues } from '../../../lib/rules-form';

type RulesBody = RequestBody<'/api/rules', 'put'>;
type Path = (string | number)[];

const SCOPES = ['owner', 'any', 'department'] as const;

/**
 * Every rule as a form, built from the rules in force (so a rule the API gains shows up as a field): numbers,
 * switches, enum pickers, routing rows. SLAs are edited in hours. Only what changed is sent, merged by the API
 * over the rules in force; the API's 400 problems are shown at their fields and what was typed stays.
 */
export function RulesForm() {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const message = useMessage();
  const client = useQueryClient();
  const [form] = Form.useForm<RulesValues>();
  const rules = useQuery({
    queryKey: ['rules'],
    // The response schema is open (`Out({})`): the domain's Rules type is the shape the API answers.
    queryFn: async () => unwrap(await api.GET('/api/rules')) as unknown as Rules,
  });
  const save = useMutation({
    mutationFn: async (body: RulesBody) => unwrap(await api.PUT('/api/rules', { body })),
    onSuccess: (saved) => {
      client.setQueryData(['rules'], saved);
    },
  });
  const initial = rules.data ? slaToForm(rules.data) : undefined;
  return (
    <PageState query={rules}>
      <Typography.Paragraph type="secondary">{t('admin.rulesHint')}</Typography.Paragraph>
      {initial && (
        <Form<RulesValues>
          form={form}
          key={JSON.stringify(initial)}
          layout="horizontal"
          labelCol={{ flex: '260px' }}
          labelWrap
          initialValues={initial}
          onFinish={(values) => {
            const changes = rulesChanges(initial, values);
            if (Object.keys(changes).length === 0) {
              void message.info(t('admin.rulesUnchanged'));
              return;
            }
            save.mutate(slaFromForm(changes), {
              onSuccess: () => void message.success(t('common.saved')),
              onError: (e) => {
                showFieldErrors(form, e, locale);
                void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);
              },
            });
          }}
        >
          <Collapse
            defaultActiveKey={['pricing']}
            items={Object.entries(initial).map(([section, value]) => ({
              key: section,
              label: sectionLabel(t, section),
              forceRender: true,
              children: <Fields value={value} path={[section]} />,
            }))}
          />
          {save.error instanceof ApiError && save.error.fields.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              title={t('admin.rulesProblems')}
              description={
                <ul style={{ margin: 0 }}>
                  {save.error.fields.map((p) => (
                    <li key={p.field}>
                      {pathLabel(t, labels, pointerToPath(p.field))}
                      {locale === 'zh-CN' ? '：' : ': '}
                      {fieldProblemWords(p, locale)}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          <Space style={{ marginTop: 12 }}>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            <Button onClick={() => form.resetFields()}>{t('admin.rulesReset')}</Button>
          </Space>
        </Form>
      )}
    </PageState>
  );
}

/** Where a problem is, in the form's words: section › group › field (a list row by its number). */
function pathLabel(t: TFunction, labels: DomainLabels, path: Path): string {
  if (path.length === 0) return t('admin.rules');
  return path
    .map((part, i) =>
      i === 0
        ? sectionLabel(t, String(part))
        : typeof part === 'number'
          ? String(part + 1)
          : fieldLabel(t, labels, path.slice(0, i + 1)),
    )
    .join(' › ');
}

function sectionLabel(t: TFunction, key: string): string {
  return t(`rules.sections.${key}`, { defaultValue: key });
}

/** The label of a rule: a domain word for keys that are tiers, signals or stages, else the rules' own words. */
function fieldLabel(t: TFunction, labels: DomainLabels, path: Path): string {
  const key = String(path.at(-1));
  const parent = String(path.at(-2) ?? '');
  const domain =
    (parent === 'minMarginPercent' || parent === 'targetShape' ? labels.tier : undefined) ??
    (parent === 'signals' ? labels.signal : undefined) ??
    (parent === 'maxDays' ? labels.stage : undefined);
  const word = (domain as Record<string, string> | undefined)?.[key];
  return word ?? t(`rules.fields.${key}`, { defaultValue: key });
}

function Fields({ value, path }: { value: unknown; path: Path }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    const nested = entries.some(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v));
    const fields = entries.map(([key, v]) => <Fields key={key} value={v} path={[...path, key]} />);
    if (path.length === 1) return <>{fields}</>;
    return (
      <fieldset
        style={{ border: '1px solid #e5e5e5', borderRadius: 6, padding: '8px 12px', marginBottom: 12 }}
      >
        <legend style={{ fontWeight: 600, fontSize: 14, width: 'auto', padding: '0 4px', margin: 0 }}>
          {fieldLabel(t, labels, path)}
        </legend>
        <div style={nested ? undefined : { display: 'grid', gap: 0 }}>{fields}</div>
      </fieldset>
    );
  }
  return <Leaf value={value} path={path} />;
}

function Leaf({ value, path }: { value: unknown; path: Path }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const key = String(path.at(-1));
  const label = fieldLabel(t, labels, path);
  const item = { name: path, label, style: { marginBottom: 8 } };
  if (key === 'routes') return <RoutesField path={path} label={label} />;
  if (typeof value === 'boolean') {
    return (
      <Form.Item {...item} valuePropName="checked">
        <Switch aria-label={label} />
      </Form.Item>
    );
  }
  if (key === 'severity') {
    return (
      <Form.Item {...item}>
        <Select
          aria-label={label}
          style={{ width: 160 }}
          options={SEVERITIES.map((s) => ({ value: s, label: labels.severity[s] }))}
        />
      </Form.Item>
    );
  }
  if (key === 'categories') {
    return (
      <Form.Item {...item}>
        <Select
          aria-label={label}
          mode="multiple"
          style={{ minWidth: 320 }}
          options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: labels.complaintCategory[c] }))}
        />
      </Form.Item>
    );
  }
  if (Array.isArray(value)) {
    // A list of numbers (the sales dip's longer windows): typed in, kept as numbers.
    return (
      <Form.Item
        {...item}
        normalize={(v: (string | number)[]) => v.map(Number).filter((n) => Number.isFinite(n))}
      >
        <Select aria-label={label} mode="tags" style={{ minWidth: 200 }} tokenSeparators={[',', ' ']} />
      </Form.Item>
    );
  }
  const unit = unitOf(key, String(path.at(-2) ?? ''));
  return (
    <Form.Item {...item}>
      <InputNumber
        aria-label={label}
        style={{ width: 180 }}
        step={key.toLowerCase().includes('significance') ? 0.001 : 1}
        {...(unit ? { suffix: t(`rules.units.${unit}`) } : {})}
      />
    </Form.Item>
  );
}

function unitOf(key: string, parent: string): 'hours' | 'days' | 'percent' | undefined {
  if (key === 'ackSlaSeconds') return 'hours';
  if (parent === 'minMarginPercent') return 'percent';
  if (parent === 'maxDays') return 'days';
  if (/Days$/.test(key)) return 'days';
  if (/Percent/.test(key)) return 'percent';
  return undefined;
}

/** A signal's routing rows: role, scope, inform only; rows added and removed in place. */
function RoutesField({ path, label }: { path: Path; label: string }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  return (
    <Form.Item label={label} style={{ marginBottom: 8 }}>
      <Form.List name={path}>
        {(rows, { add, remove }) => (
          <Space orientation="vertical" size={4} style={{ width: '100%' }}>
            {rows.map((row, i) => (
              <Space key={row.key} wrap>
                <Form.Item name={[row.name, 'role']} noStyle>
                  <Select
                    aria-label={`${label} ${i + 1} ${t('rules.fields.role')}`}
                    style={{ width: 150 }}
                    options={ROLES.map((r) => ({ value: r, label: labels.role[r] }))}
                  />
                </Form.Item>
                <Form.Item name={[row.name, 'scope']} noStyle>
                  <Select
                    aria-label={`${label} ${i + 1} ${t('rules.fields.scope')}`}
                    style={{ width: 150 }}
                    options={SCOPES.map((s) => ({ value: s, label: t(`rules.scopes.${s}`) }))}
                  />
                </Form.Item>
                <Form.Item name={[row.name, 'informOnly']} valuePropName="checked" noStyle>
                  <Checkbox>{t('rules.fields.informOnly')}</Checkbox>
                </Form.Item>
                <Button size="small" onClick={() => remove(row.name)}>
                  {t('rules.removeRoute')}
                </Button>
              </Space>
            ))}
            <Button size="small" onClick={() => add({ role: 'product_manager', scope: 'owner' })}>
              {t('rules.addRoute')}
            </Button>
          </Space>
        )}
      </Form.List>
    </Form.Item>
  );
}
