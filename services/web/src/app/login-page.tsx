import { Alert, Button, Form, Input } from 'antd';

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../lib/api';
import { LanguageSwitch } from './language-switch';
import { useSession } from './session';
import { Typography } from '../components/typography';
import { Panel } from '../components/panel';

/** Where to go after signing in: the deep link the person opened, never another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/inbox';
}

export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  if (session.person) return <Navigate to={next} replace />;

  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { token } = unwrap(await api.POST('/api/auth/login', { body: values }));
      session.signIn(token);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t('auth.failed') : t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f4f4' }}>
      <Panel style={{ width: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            {t('app.title')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t('auth.welcome')}</Typography.Paragraph>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} showIcon />}
        <Form layout="vertical" onFinish={(v: { email: string; password: string }) => void submit(v)}>
          <Form.Item label={t('auth.email')} name="email" rules={[{ required: true }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label={t('auth.password')} name="password" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('auth.login')}
          </Button>
        </Form>
      </Panel>
    </main>
  );
}
