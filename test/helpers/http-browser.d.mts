export interface HttpLoginOptions {
  /** PEM of the CA the demo site's certificate chains to. */
  ca?: string;
  /** An HTTP proxy for the sign-in site (not for the loopback callback). */
  proxy?: string;
  /** Default `alice`. */
  login?: string;
  /** Default `demo-password`. */
  password?: string;
  /** Default `allow`. */
  decision?: 'allow' | 'deny';
  /** GET the application's http(s) redirect target at the end (default true). */
  followCallback?: boolean;
  /** Per-request timeout, ms (default 30 s). */
  timeoutMs?: number;
}

export interface HttpLoginResult {
  /** The redirect back to the application (holds the code or the error). */
  finalUrl: string;
  /** What the application's loopback listener answered, when it was followed. */
  callbackStatus?: number;
  callbackBody?: string;
}

export function completeLoginOverHttp(authUrl: string, opts?: HttpLoginOptions): Promise<HttpLoginResult>;
