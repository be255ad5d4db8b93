import { getVar, type Env } from '../env-files.js';
import type { Problems } from '../problems.js';
import type { IngressConfig } from '../types.js';
import { baseUrlText, checkServiceUrl, type UrlRules } from '../urls.js';
import { ingressClient, required } from './common.js';

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * COGNITO_DOMAIN is either a full URL or a domain prefix; without it the prefix is the pool id
 * with `_` removed, lower-cased.
 */
export function cognitoDomain(
  value: string | undefined,
  userPoolId: string,
  region: string,
  rules: UrlRules,
  problems: Problems,
): string | undefined {
  if (value?.includes('://')) {
    const url = checkServiceUrl(value, 'COGNITO_DOMAIN', rules, problems);
    return url ? baseUrlText(url) : undefined;
  }
  const prefix = value ?? userPoolId.replace('_', '').toLowerCase();
  if (!DOMAIN_PREFIX.test(prefix)) {
    problems.add(
      `COGNITO_DOMAIN ("${prefix}") is neither a URL nor a domain prefix: give the prefix (lower-case letters, ` +
        'digits, "-") or the full URL, e.g. https://auth.example.com',
    );
    return undefined;
  }
  return `https://${prefix}.auth.${region}.amazoncognito.com`;
}

/** Amazon Cognito: client credentials at `{domain}/oauth2/token`, HTTP Basic by default. */
export function resolveCognito(env: Env, rules: UrlRules, problems: Problems): IngressConfig | undefined {
  const userPoolId = required(env, 'INGRESS_OAUTH_USER_POOL_ID', problems, 'the Cognito user pool id, e.g. us-east-1_AbCdEf123');
  const client = ingressClient(env, problems, {
    idVariable: 'INGRESS_OAUTH_CLIENT_ID',
    secretVariable: 'INGRESS_OAUTH_CLIENT_SECRET',
    scopeVariable: 'INGRESS_OAUTH_SCOPE',
    defaultMethod: 'client_secret_basic',
    urlOrigin: 'COGNITO_DOMAIN (or INGRESS_OAUTH_USER_POOL_ID and AWS_REGION)',
  });
  if (userPoolId === undefined) return undefined;
  const match = POOL_ID.exec(userPoolId);
  if (!match) {
    problems.add(`INGRESS_OAUTH_USER_POOL_ID ("${userPoolId}") is not a user pool id: it looks like us-east-1_AbCdEf123`);
    return undefined;
  }
  const region = getVar(env, 'AWS_REGION') ?? match[1] ?? '';
  if (!REGION.test(region)) {
    problems.add(`AWS_REGION ("${region}") is not an AWS region, e.g. us-east-1`);
    return undefined;
  }
  const domain = cognitoDomain(getVar(env, 'COGNITO_DOMAIN'), userPoolId, region, rules, problems);
  if (!domain || !client) return undefined;
  return {
    provider: 'cognito',
    client: {
      issuer: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
      tokenEndpoint: `${domain}/oauth2/token`,
      clientId: client.clientId,
      credential: client.credential,
      ...client.rest,
    },
    fields: { user_pool_id: userPoolId, region },
  };
}
