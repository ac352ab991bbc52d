// A camera for Chromium's fake capture device: a Y4M video (4:2:0) whose frames show a QR code on
// white, made with the same QR library the portal draws cards with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import encodeQR from 'qr';

export function qrCodeVideo(text: string, options: { width?: number; height?: number; frames?: number } = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const modules = encodeQR(text, 'raw', { ecc: 'medium', border: 4 });
  const scale = Math.floor((Math.min(width, height) - 20) / modules.length);
  const left = Math.floor((width - modules.length * scale) / 2);
  const top = Math.floor((height - modules.length * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  modules.forEach((row, y) => row.forEach((dark, x) => {
    if (!dark) return;
    for (let dy = 0; dy < scale; dy += 1) luma.fill(16, (top + y * scale + dy) * width + left + x * scale, (top + y * scale + dy) * width + left + (x + 1) * scale);
  }));
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sentang-camera-')), 'qr.y4m');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: options.frames ?? 10 }, () => frame)]));
  return file;
}
