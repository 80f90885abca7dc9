/** The CSCX.AI destination's settings, as a Segment workspace owner fills them in. */
export interface Settings {
  /** The CSCX.AI workspace's Segment write key (sent as the HTTP Basic user name). */
  writeKey: string;
  /** Where the CSCX.AI workspace is served, e.g. `https://acme.cscx.example`; the region is part of the host. */
  endpoint: string;
}

export const WEBHOOK_PATH = '/api/integrations/segment/webhook';
export const AUTH_CHECK_PATH = '/api/integrations/segment/auth';

export const endpointUrl = (settings: Settings, path: string): string => settings.endpoint.replace(/\/+$/, '') + path;
