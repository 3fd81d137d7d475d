// What the STS exchange and AssumeRole both do with an answer they could not use.

/** A body as JSON, or undefined when it is not (an error page, a cut-off answer). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The sentence that gives support Alibaba's request ID, when it looks like one (never arbitrary text). */
export function support(requestId: string | undefined): string {
  return requestId && /^[\w-]{1,100}$/.test(requestId) ? ` (For support: request ID ${requestId}.)` : '';
}
