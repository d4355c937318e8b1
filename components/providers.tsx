"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { CurrentUserProvider } from "@/components/current-user";
import { SocketProvider } from "@/components/realtime/socket-provider";
import { ToastProvider } from "@/components/ui/toast";
import { ApiError } from "@/lib/api/client";
import type { UserDto } from "@/lib/api/types";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // sockets invalidate what changed; no need to refetch on every focus
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // a 4xx will not get better by asking again
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
}

/** Client-side providers for the signed-in app: one QueryClient per tab, the socket, toasts, the user. */
export function Providers({ user, children }: { user: UserDto; children: React.ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <CurrentUserProvider user={user}>
        <SocketProvider>
          <ToastProvider>{children}</ToastProvider>
        </SocketProvider>
      </CurrentUserProvider>
    </QueryClientProvider>
  );
}
