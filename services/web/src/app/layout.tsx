import { Button, Layout as AntLayout, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ROLES_THAT_MAY } from '@tower/domain';
import { labelOf, useLocale } from '../lib/i18n';
import type { RoleGrant } from '../lib/api-types';
import { useOrg } from '../lib/org';
import { LanguageSwitch } from './language-switch';
import { hasRole, useSession } from './session';

export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();

  if (session.loading) {
    return (
      <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (!session.person) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  const person = session.person;
  const items = [
    { key: '/inbox', label: t('nav.inbox') },
    { key: '/tower', label: t('nav.tower') },
    { key: '/board', label: t('nav.board') },
    { key: '/products', label: t('nav.products') },
    { key: '/launch', label: t('nav.launch') },
    { key: '/reviews', label: t('nav.reviews') },
    ...(hasRole(person, ...ROLES_THAT_MAY.importFiles) ? [{ key: '/imports', label: t('nav.imports') }] : []),
    ...(hasRole(person, 'admin') ? [{ key: '/admin', label: t('nav.admin') }] : []),
  ];
  const selected =
    items.find((i) => location.pathname.startsWith(i.key))?.key ??
    (location.pathname.startsWith('/tasks') ? '/inbox' : '');

  return (
    <AntLayout style={{ minHeight: '100vh' }}>
      <AntLayout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#0b3d3a', paddingInline: 16 }}
      >
        <strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>{t('app.title')}</strong>
        <nav
          aria-label={t('app.title')}
          style={{ flex: 1, minWidth: 0, display: 'flex', gap: 4, overflowX: 'auto' }}
        >
          {items.map((item) => (
            <Button
              key={item.key}
              type="text"
              aria-current={item.key === selected ? 'page' : undefined}
              onClick={() => void navigate(item.key)}
              style={{
                color: '#fff',
                background: item.key === selected ? 'rgba(255, 255, 255, 0.18)' : 'transparent',
              }}
            >
              {item.label}
            </Button>
          ))}
        </nav>
        <Space size="small" wrap={false}>
          <span data-testid="me" style={{ color: '#fff', whiteSpace: 'nowrap' }}>
            {person.name}
          </span>
          <RoleTags roles={person.roles} />
          <LanguageSwitch />
          <Button size="small" onClick={() => void session.signOut()}>
            {t('auth.logout')}
          </Button>
        </Space>
      </AntLayout.Header>
      <AntLayout.Content style={{ padding: 24 }}>
        <main>
          <Outlet />
        </main>
      </AntLayout.Content>
    </AntLayout>
  );
}

/** A person's roles with their scope (department / branch, or chain-wide), as tags. */
function RoleTags({ roles }: { roles: readonly RoleGrant[] }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const org = useOrg();
  return (
    <span data-testid="roles">
      {roles.map((r, i) => {
        const scope = [
          r.departmentId && org.departmentName(r.departmentId),
          r.branchId && org.branchName(r.branchId),
        ]
          .filter(Boolean)
          .join(' / ');
        return (
          <Tag key={i} style={{ background: '#fff', color: '#0b3d3a' }}>
            {labelOf(labels.role, r.role)} · {scope || t('auth.chainWide')}
          </Tag>
        );
      })}
    </span>
  );
}
