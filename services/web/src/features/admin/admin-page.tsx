import { Tabs } from 'antd';

import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { OrgTab } from './components/org-tab';
import { PeopleTab } from './components/people-tab';
import { ApiKeysTab, CalendarTab, RulesTab, SilencesTab } from './components/settings-tabs';
import { Typography } from '../../components/typography';

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
          { key: 'branches', label: t('admin.branches'), children: <OrgTab kind="branches" /> },
          { key: 'departments', label: t('admin.departments'), children: <OrgTab kind="departments" /> },
          { key: 'rules', label: t('admin.rules'), children: <RulesTab /> },
          { key: 'keys', label: t('admin.apiKeys'), children: <ApiKeysTab /> },
          { key: 'calendar', label: t('admin.calendar'), children: <CalendarTab /> },
          { key: 'silences', label: t('admin.silences'), children: <SilencesTab /> },
        ]}
      />
    </div>
  );
}
