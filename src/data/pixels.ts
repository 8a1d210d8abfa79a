/**
 * ImageBitmap → RGBA bytes with the colour of transparent pixels kept.
 *
 * A 2D canvas stores premultiplied colour: drawing an un-premultiplied bitmap multiplies by alpha, so a fully
 * transparent pixel reads back as (0, 0, 0) and low-alpha pixels lose precision. PIL's convert('RGB') drops
 * alpha and keeps the stored colour. WebGL uploads the bitmap as it is (UNPACK_PREMULTIPLY_ALPHA_WEBGL false)
 * and readPixels returns it untouched, so the studio trains on what the reference trains on.
 * One WebGL context is made lazily and reused (browsers cap the number of live contexts).
 */

let gl: WebGL2RenderingContext | null | undefined;
let texture: WebGLTexture | null = null;
let framebuffer: WebGLFramebuffer | null = null;

function context(): WebGL2RenderingContext | null {
  if (gl !== undefined && !(gl && gl.isContextLost())) return gl;
  gl = null;
  try {
    const c = new OffscreenCanvas(1, 1).getContext('webgl2', { premultipliedAlpha: false, antialias: false, depth: false });
    if (c) {
      texture = c.createTexture();
      framebuffer = c.createFramebuffer();
      c.bindTexture(c.TEXTURE_2D, texture);
      c.pixelStorei(c.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
      c.pixelStorei(c.UNPACK_FLIP_Y_WEBGL, false);
      c.pixelStorei(c.UNPACK_COLORSPACE_CONVERSION_WEBGL, c.NONE);
      c.pixelStorei(c.PACK_ALIGNMENT, 1);
      gl = c;
    }
  } catch {
    gl = null;
  }
  return gl;
}

function viaWebGL(g: WebGL2RenderingContext, bmp: ImageBitmap): Uint8Array | null {
  const { width, height } = bmp;
  if (width > g.getParameter(g.MAX_TEXTURE_SIZE) || height > g.getParameter(g.MAX_TEXTURE_SIZE)) return null;
  g.bindTexture(g.TEXTURE_2D, texture);
  g.texImage2D(g.TEXTURE_2D, 0, g.RGBA8, g.RGBA, g.UNSIGNED_BYTE, bmp);
  g.bindFramebuffer(g.FRAMEBUFFER, framebuffer);
  g.framebufferTexture2D(g.FRAMEBUFFER, g.COLOR_ATTACHMENT0, g.TEXTURE_2D, texture, 0);
  if (g.checkFramebufferStatus(g.FRAMEBUFFER) !== g.FRAMEBUFFER_COMPLETE) return null;
  const out = new Uint8Array(width * height * 4);
  g.readPixels(0, 0, width, height, g.RGBA, g.UNSIGNED_BYTE, out); // row 0 = the bitmap's top row (no flip on upload)
  g.texImage2D(g.TEXTURE_2D, 0, g.RGBA8, 1, 1, 0, g.RGBA, g.UNSIGNED_BYTE, null); // free the image's memory now
  return g.getError() === g.NO_ERROR ? out : null;
}

/** Fallback: a 2D canvas (transparent pixels come out black). */
function viaCanvas(bmp: ImageBitmap): Uint8ClampedArray {
  const canvas = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser gives neither WebGL2 nor a 2D OffscreenCanvas to read pixels with');
  ctx.drawImage(bmp, 0, 0);
  return ctx.getImageData(0, 0, bmp.width, bmp.height).data;
}

export function readPixels(bmp: ImageBitmap): ArrayLike<number> {
  const g = context();
  return (g && viaWebGL(g, bmp)) ?? viaCanvas(bmp);
}
