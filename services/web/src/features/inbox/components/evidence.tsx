import { Collapse, Descriptions, Empty, Timeline } from 'antd';

import { useTranslation } from 'react-i18next';
import { evidenceView } from '../../../lib/evidence';
import { useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { Typography } from '../../../components/typography';

/** A task's evidence, newest first: a sentence in the person's language, every fact by name behind a fold. */
export function Evidence({
  signal,
  evidence,
}: {
  signal: string;
  evidence: { firedOn: string; data: unknown }[];
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const org = useOrg();
  if (evidence.length === 0) return <Empty description={t('common.none')} />;
  const branchName = (id: string) => org.branches.find((b) => b.id === id)?.name;
  return (
    <Timeline
      items={[...evidence].reverse().map((e, index) => {
        const view = evidenceView(signal, e, locale, branchName);
        return {
          key: `${e.firedOn}-${index}`,
          content: (
            <div data-testid="evidence">
              <Typography.Text strong>{view.day}</Typography.Text>
              {view.text && (
                <Typography.Paragraph style={{ margin: '4px 0' }}>{view.text}</Typography.Paragraph>
              )}
              <Collapse
                size="small"
                ghost
                items={[
                  {
                    key: 'facts',
                    label: t('task.facts'),
                    children: (
                      <Descriptions
                        size="small"
                        column={1}
                        items={view.facts.map((f) => ({ key: f.key, label: f.label, children: f.value }))}
                      />
                    ),
                  },
                ]}
              />
            </div>
          ),
        };
      })}
    />
  );
}
