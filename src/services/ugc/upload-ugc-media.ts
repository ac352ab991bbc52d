import fs from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../domain/errors';
import { mediaLimits, sniffMediaType, type MediaType } from '../../domain/ugc/media';
import { insertUpload } from '../../store/ugc-store';
import type { ServiceContext } from '../context';

export function uploadPath(ctx: ServiceContext, merchantId: string, fileName: string): string {
  return path.join(ctx.uploadsDir, merchantId, fileName);
}

/**
 * Keeps a photo or video for a later submission. The bytes must be the declared format (JPEG,
 * PNG, WebP, GIF up to 10 MB; MP4 up to 50 MB); anything else is refused and nothing is kept.
 */
export async function uploadUgcMedia(ctx: ServiceContext, merchantId: string, input: { declaredType: string; bytes: Buffer }): Promise<{ uploadId: string; mediaType: MediaType; sizeBytes: number }> {
  const declared = input.declaredType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!(declared in mediaLimits)) throw new DomainError('unsupported_media', `Uploads are ${Object.keys(mediaLimits).join(', ')}; got ${declared || 'no content type'}`);
  const actual = sniffMediaType(input.bytes);
  if (actual === null) throw new DomainError('unsupported_media', `The file is not a ${declared} (nor any accepted image or video)`);
  if (actual !== declared) throw new DomainError('unsupported_media', `The file is a ${actual}, not the ${declared} it was sent as`);
  const limit = mediaLimits[actual];
  if (input.bytes.length > limit.maxBytes) throw new DomainError('payload_too_large', `A ${actual} may be at most ${limit.maxBytes / 1024 / 1024} MB`);
  const uploadId = ctx.newId('upl');
  const fileName = `${uploadId}.${limit.extension}`;
  const finalPath = uploadPath(ctx, merchantId, fileName);
  await fs.mkdir(path.dirname(finalPath), { recursive: true });
  // Written under a temporary name and renamed, so a half-written file is never served.
  const partialPath = `${finalPath}.partial`;
  await fs.writeFile(partialPath, input.bytes);
  await fs.rename(partialPath, finalPath);
  try {
    await insertUpload(ctx.store.db, { merchant_id: merchantId, id: uploadId, media_type: actual, size_bytes: input.bytes.length, file_name: fileName, created_at_ms: ctx.nowMs() });
  } catch (error) {
    await fs.rm(finalPath, { force: true });
    throw error;
  }
  return { uploadId, mediaType: actual, sizeBytes: input.bytes.length };
}
