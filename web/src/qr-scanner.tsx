import { useEffect, useRef, useState } from 'react';
import decodeQR from 'qr/decode.js';
import { t, type Language } from './i18n';

/**
 * Reads a QR code with the device's camera (the back one on a tablet): frames go through a canvas
 * to the QR decoder a few times a second until one decodes; the camera stops when done or closed.
 */
export function QrScanner({ language, onCode, onClose }: { language: Language; onCode: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        timer = window.setInterval(() => {
          const frame = video.current;
          if (!frame || frame.videoWidth === 0) return;
          canvas.width = frame.videoWidth;
          canvas.height = frame.videoHeight;
          const context = canvas.getContext('2d', { willReadFrequently: true });
          if (!context) return;
          context.drawImage(frame, 0, 0);
          const image = context.getImageData(0, 0, canvas.width, canvas.height);
          try {
            const text = decodeQR({ width: image.width, height: image.height, data: image.data });
            window.clearInterval(timer);
            onCode(text);
          } catch {
            // No code in this frame: try the next one.
          }
        }, 200);
      } catch (failure) {
        setError(`${t('cameraUnavailable', language)} (${(failure as Error).message})`);
      }
    })();
    return () => {
      stopped = true;
      window.clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [language, onCode]);
  return (
    <div className="scanner" role="dialog" aria-label={t('scanCard', language)}>
      <video ref={video} muted playsInline aria-label={t('scanCard', language)} />
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" onClick={onClose}>{t('cancel', language)}</button>
    </div>
  );
}
