// The JavaScript the member portal sends, measured from the built web apps (dist/web).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const gzippedBytes = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** Every script portal.html loads (its entry and the chunks it preloads), gzipped, in bytes. */
export function portalScriptBytesGzipped(webDir: string): number {
  const html = fs.readFileSync(path.join(webDir, 'portal.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].reduce((sum, match) => sum + gzippedBytes(path.join(webDir, match[1] as string)), 0);
}

/** The LIFF SDK chunk, loaded only when the portal is opened in a shop's LIFF app, gzipped. */
export function liffChunkBytesGzipped(webDir: string): number {
  const chunk = fs.readdirSync(path.join(webDir, 'assets')).find((name) => /^liff-.*\.js$/.test(name));
  if (!chunk) throw new Error('no LIFF chunk in dist/web/assets: the portal no longer loads @line/liff on its own');
  return gzippedBytes(path.join(webDir, 'assets', chunk));
}
