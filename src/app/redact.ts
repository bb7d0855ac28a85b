/**
 * Takes secrets out of text that leaves the process (stored errors, logs, CLI output): the configured
 * secret values themselves, and anything shaped like a credential (Slack tokens, Authorization values,
 * passwords in URLs), in case a peer or a library echoed one.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]')
    .replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]*)@/gi, '$1$2:[redacted]@');
}
