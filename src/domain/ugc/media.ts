// What an uploaded file really is, read from its first bytes: the declared content type is the
// client's claim, the bytes are the truth. Only these formats are kept.
export const mediaLimits = {
  'image/jpeg': { kind: 'photo', extension: 'jpg', maxBytes: 10 * 1024 * 1024 },
  'image/png': { kind: 'photo', extension: 'png', maxBytes: 10 * 1024 * 1024 },
  'image/webp': { kind: 'photo', extension: 'webp', maxBytes: 10 * 1024 * 1024 },
  'image/gif': { kind: 'photo', extension: 'gif', maxBytes: 10 * 1024 * 1024 },
  'video/mp4': { kind: 'video', extension: 'mp4', maxBytes: 50 * 1024 * 1024 },
} as const;
export type MediaType = keyof typeof mediaLimits;
export const mediaTypes = Object.keys(mediaLimits) as MediaType[];
export const maxUploadBytes = 50 * 1024 * 1024;

const ascii = (bytes: Uint8Array, start: number, text: string) => text.split('').every((char, at) => bytes[start + at] === char.charCodeAt(0));

/** The media type the bytes are, or null when they are none of the accepted formats. */
export function sniffMediaType(bytes: Uint8Array): MediaType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, at) => bytes[at] === byte)) return 'image/png';
  if (bytes.length >= 6 && (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a'))) return 'image/gif';
  if (bytes.length >= 12 && ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (bytes.length >= 12 && ascii(bytes, 4, 'ftyp')) return 'video/mp4';
  return null;
}

/** Hosts whose public posts members may link to. */
const socialHosts = /(^|\.)(facebook\.com|fb\.watch|instagram\.com|tiktok\.com|x\.com|twitter\.com|youtube\.com|youtu\.be|threads\.net|line\.me|pantip\.com)$/;

export function isSocialPostUrl(url: URL): boolean {
  return url.protocol === 'https:' && socialHosts.test(url.hostname.toLowerCase());
}
