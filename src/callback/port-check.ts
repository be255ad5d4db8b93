import { createServer } from 'node:net';
import { bindAddresses } from './loopback-server.js';

/**
 * Whether the callback listener could listen on a redirect URI's port right now: each loopback
 * address it would bind is tried and released at once. The error code when not (EADDRINUSE: another
 * program holds it; EACCES: a port below 1024).
 */
export async function portProblem(redirectUri: URL): Promise<string | undefined> {
  for (const host of bindAddresses(redirectUri.hostname)) {
    const problem = await new Promise<string | undefined>((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) =>
        resolve(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? undefined : (error.code ?? error.message)),
      );
      server.listen({ port: Number(redirectUri.port), host, exclusive: true }, () => server.close(() => resolve(undefined)));
    });
    if (problem) return problem;
  }
  return undefined;
}
