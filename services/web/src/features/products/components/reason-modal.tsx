import { Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';

/** Asks for the reason of an event that closes or rolls back a product. */
export function ReasonModal({
  title,
  open,
  reason,
  sending,
  onReason,
  onSubmit,
  onCancel,
}: {
  title: string;
  open: boolean;
  reason: string;
  sending: boolean;
  onReason: (reason: string) => void;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: reason.trim() === '', loading: sending }}
      onOk={onSubmit}
      onCancel={onCancel}
    >
      <Input.TextArea
        aria-label={t('common.reason')}
        placeholder={t('common.reason')}
        rows={3}
        value={reason}
        onChange={(e) => onReason(e.target.value)}
      />
    </Modal>
  );
}
