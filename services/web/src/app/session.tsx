import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, getToken, onSignedOut, setToken, unwrap } from '../lib/api';
import type { Person } from '../lib/api-types';

interface Session {
  person: Person | null;
  loading: boolean;
  signIn(token: string): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [token, setTokenState] = useState(getToken);
  const me = useQuery({
    queryKey: ['me', token],
    enabled: token !== null,
    queryFn: async () => unwrap(await api.GET('/api/people/me')),
    retry: false,
    staleTime: 60_000,
  });
  useEffect(
    () =>
      onSignedOut(() => {
        setTokenState(null);
        client.clear();
      }),
    [client],
  );
  const session: Session = {
    person: token ? (me.data ?? null) : null,
    loading: token !== null && me.isPending,
    signIn(next) {
      setToken(next);
      setTokenState(next);
    },
    async signOut() {
      await api.POST('/api/auth/logout').catch(() => undefined);
      setToken(null);
      setTokenState(null);
      client.clear();
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Does the signed-in person hold one of these roles? */
export function hasRole(person: Person | null, ...roles: string[]): boolean {
  return person?.roles.some((r) => roles.includes(r.role)) ?? false;
}
