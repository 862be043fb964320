import type { SandboxUser } from '../context.js';

export interface IdentityInput {
  readonly base: string;
  readonly orgId: string;
  readonly user: SandboxUser;
  /** Salesforce's datetime form, `2024-05-01T10:00:00.000+0000`. */
  readonly lastModified: string;
}

/** The identity URL of a user: what token responses name as `id`. */
export function identityUrl(base: string, orgId: string, userId: string): string {
  return `${base}/id/${orgId}/${userId}`;
}

/**
 * The identity service's answer. URLs keep the literal `{version}` placeholder, as Salesforce does,
 * for the client to fill in.
 */
export function identityDocument({ base, orgId, user, lastModified }: IdentityInput): Record<string, unknown> {
  const org15 = orgId.slice(0, 15);
  const rest = `${base}/services/data/v{version}/`;
  return {
    id: identityUrl(base, orgId, user.id),
    asserted_user: true,
    user_id: user.id,
    organization_id: orgId,
    username: user.username,
    nick_name: user.username.split('@')[0] ?? user.username,
    display_name: user.displayName,
    email: user.email,
    status: {},
    photos: {},
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${org15}`,
      metadata: `${base}/services/Soap/m/{version}/${org15}`,
      partner: `${base}/services/Soap/u/{version}/${org15}`,
      rest,
      sobjects: `${rest}sobjects/`,
      search: `${rest}search/`,
      query: `${rest}query/`,
      recent: `${rest}recent/`,
      profile: `${base}/${user.id}`,
      feeds: `${rest}chatter/feeds`,
      groups: `${rest}chatter/groups`,
      users: `${rest}chatter/users`,
      feed_items: `${rest}chatter/feed-items`,
      custom_domain: base,
    },
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: lastModified,
    is_app_installed: true,
  };
}
