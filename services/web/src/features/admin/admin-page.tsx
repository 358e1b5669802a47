import { Tabs } from 'antd';

import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { lazy } from 'react';
import { PeopleTab } from './components/people-tab';
import { Deferred } from '../../components/deferred';
import { Typography } from '../../components/typography';

// People is the first tab; the others load their code when first opened.
const OrgTab = lazy(() => import('./components/org-tab').then((m) => ({ default: m.OrgTab })));
const settings = () => import('./components/settings-tabs');
const RulesTab = lazy(() => settings().then((m) => ({ default: m.RulesTab })));
const ApiKeysTab = lazy(() => settings().then((m) => ({ default: m.ApiKeysTab })));
const CalendarTab = lazy(() => settings().then((m) => ({ default: m.CalendarTab })));
const SilencesTab = lazy(() => settings().then((m) => ({ default: m.SilencesTab })));

export function AdminPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  return (
    <div>
      <Typography.Title level={2}>{t('admin.title')}</Typography.Title>
      <Tabs
        activeKey={params.get('tab') ?? 'people'}
        onChange={(tab) => setParams({ tab }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'people', label: t('admin.people'), children: <PeopleTab /> },
          {
            key: 'branches',
            label: t('admin.branches'),
            children: (
              <Deferred>
                <OrgTab kind="branches" />
              </Deferred>
            ),
          },
          {
            key: 'departments',
            label: t('admin.departments'),
            children: (
              <Deferred>
                <OrgTab kind="departments" />
              </Deferred>
            ),
          },
          {
            key: 'rules',
            label: t('admin.rules'),
            children: (
              <Deferred>
                <RulesTab />
              </Deferred>
            ),
          },
          {
            key: 'keys',
            label: t('admin.apiKeys'),
            children: (
              <Deferred>
                <ApiKeysTab />
              </Deferred>
            ),
          },
          {
            key: 'calendar',
            label: t('admin.calendar'),
            children: (
              <Deferred>
                <CalendarTab />
              </Deferred>
            ),
          },
          {
            key: 'silences',
            label: t('admin.silences'),
            children: (
              <Deferred>
                <SilencesTab />
              </Deferred>
            ),
          },
        ]}
      />
    </div>
  );
}
