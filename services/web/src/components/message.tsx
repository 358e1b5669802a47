import { message as antMessage } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface';
import { createContext, useContext, type ReactNode } from 'react';

// antd's App would also bring Modal and notification into the first load; pages only need the toasts.
const MessageContext = createContext<MessageInstance | null>(null);

export function MessageProvider({ children }: { children: ReactNode }) {
  const [message, holder] = antMessage.useMessage();
  return (
    <MessageContext.Provider value={message}>
      {holder}
      {children}
    </MessageContext.Provider>
  );
}

/** The toasts of the page (success / error after a save), themed and localised by the ConfigProvider. */
export function useMessage(): MessageInstance {
  const message = useContext(MessageContext);
  if (!message) throw new Error('useMessage outside MessageProvider');
  return message;
}
