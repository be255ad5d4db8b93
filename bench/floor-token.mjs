// The floor for `mcpgw-creds token` on this runtime: an ES module that does only the unavoidable
// part of it (read the stored ingress token, print it) with nothing else: no .env, no checks, no
// arguments. The benchmark measures it next to the real command.
import { readFileSync } from 'node:fs';

const record = JSON.parse(readFileSync('.oauth-tokens/ingress.json', 'utf8'));
process.stdout.write(`${record.access_token}\n`);
