/** A Picture (RGBA bytes) drawn 1:1 into a canvas with putImageData; CSS scales it up with nearest-neighbour. */
import { useEffect, useRef, type CanvasHTMLAttributes } from 'react';
import type { Picture } from '../../src/protocol/messages';

type Props = { picture: Picture | undefined } & CanvasHTMLAttributes<HTMLCanvasElement> & { [data: `data-${string}`]: string | number | undefined };

export function PictureCanvas({ picture, ...rest }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    if (!picture) {
      c.getContext('2d')?.clearRect(0, 0, c.width, c.height);
      return;
    }
    if (c.width !== picture.width) c.width = picture.width;
    if (c.height !== picture.height) c.height = picture.height;
    // Copy: ImageData wants a plain ArrayBuffer-backed array, and the picture may be shared with the store.
    const data = new ImageData(new Uint8ClampedArray(picture.rgba), picture.width, picture.height);
    c.getContext('2d')?.putImageData(data, 0, 0);
  }, [picture]);
  return <canvas ref={ref} width={picture?.width ?? 1} height={picture?.height ?? 1} {...rest} />;
}
