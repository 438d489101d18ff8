/** A 1-based line and column in a source text. */
export interface SourceLineColumn {
  line: number;
  column: number;
}

/** 1-based line and column of the character at `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): SourceLineColumn {
  const end = Math.min(Math.max(offset, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < end;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * The offset JSONata's error points at. JSONata reports the position just past the offending
 * token, so step back to the token's start when the token is found there; at the end of the
 * expression, point just past its last character rather than at trailing blank lines.
 */
export function errorOffset(text: string, position: number, token: unknown): number {
  const tokenText = typeof token === 'string' || typeof token === 'number' ? String(token) : '';
  if (tokenText !== '' && tokenText !== '(end)') {
    const start = text.lastIndexOf(tokenText, position - tokenText.length);
    // A quote or an opening bracket may sit between the token and the reported position.
    if (start >= 0 && position - (start + tokenText.length) <= 2) return start;
  }
  const lastCharacterEnd = text.trimEnd().length;
  if (position >= lastCharacterEnd) return lastCharacterEnd;
  return Math.max(0, position - 1);
}
