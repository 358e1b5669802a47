import { Space, Tag } from 'antd';
import { DataTable } from '../../components/deferred';

import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageState } from '../../components/page-state';
import { useImport, useRecentImports } from './api/imports';
import { ImportDetail } from './components/import-detail';
import { UploadCard } from './components/upload-card';
import { Typography } from '../../components/typography';

/** Bring a CSV/XLSX export in: upload, check the mapping and preview, commit, watch it land. */
export function ImportsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? undefined;
  const current = useImport(id);
  const recent = useRecentImports();

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('imports.title')}
      </Typography.Title>
      <UploadCard onUploaded={(view) => setParams({ id: view.id })} />
      {id && <PageState query={current}>{current.data && <ImportDetail view={current.data} />}</PageState>}
      <DataTable
        size="small"
        rowKey="id"
        title={() => t('imports.recent')}
        pagination={false}
        loading={recent.isPending}
        dataSource={recent.data?.items ?? []}
        columns={[
          {
            title: t('imports.file'),
            dataIndex: 'fileName',
            render: (name: string, row) => <Link to={`/imports?id=${row.id}`}>{name}</Link>,
          },
          { title: t('imports.kind'), dataIndex: 'kind', render: (k: string) => t(`imports.kinds.${k}`) },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag>{t(`imports.status.${s}`)}</Tag>,
          },
          { title: t('imports.rowsTotal'), dataIndex: 'rowsTotal' },
          { title: t('imports.stored'), dataIndex: 'rowsDone' },
        ]}
      />
    </Space>
  );
}
