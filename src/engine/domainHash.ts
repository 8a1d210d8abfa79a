/**
 * Which images a run trained on, in a form a checkpoint can carry: the source names and a SHA-256 over the
 * decoded images (size, channels, pixels, in the run's order). A resume checks it, so a run never silently
 * continues on other pictures. Hashing goes image by image (a digest per image, then a digest of the digests):
 * no copy of a whole domain in memory. Cached per DomainData object (domains are replaced, never mutated).
 */
import type { CheckpointDomain, Domain } from '../protocol/messages';
import type { DomainData } from './domains';

const cache = new WeakMap<DomainData, Promise<string>>();

const hex = (b: ArrayBuffer): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

async function hashImages(d: DomainData): Promise<string> {
  const subtle = globalThis.crypto.subtle;
  const digests = new Uint8Array(32 * d.images.length);
  for (let i = 0; i < d.images.length; i++) {
    const img = d.images[i];
    const buf = new Uint8Array(12 + img.data.length);
    new DataView(buf.buffer).setUint32(0, img.width, true);
    new DataView(buf.buffer).setUint32(4, img.height, true);
    new DataView(buf.buffer).setUint32(8, img.channels, true);
    buf.set(img.data, 12);
    digests.set(new Uint8Array(await subtle.digest('SHA-256', buf)), 32 * i);
  }
  return hex(await subtle.digest('SHA-256', digests));
}

export function domainHash(d: DomainData): Promise<string> {
  let h = cache.get(d);
  if (!h) cache.set(d, (h = hashImages(d)));
  return h;
}

export async function describeDomain(d: DomainData): Promise<CheckpointDomain> {
  return { source: d.source, count: d.images.length, hash: await domainHash(d) };
}

/** Why `have` is not the run's domain, in words the user can act on; null when it is. */
export async function domainMismatch(domain: Domain, want: CheckpointDomain, have: DomainData): Promise<string | null> {
  if (have.images.length === 0)
    return `Domain ${domain} is empty: this run trained on “${want.source}” (${want.count} images). Drop the same folder into ${domain}, then resume again.`;
  if ((await domainHash(have)) === want.hash) return null;
  return `Domain ${domain} does not hold the images this run trained on: it trained on “${want.source}” (${want.count} images), ${domain} now has “${have.source}” (${have.images.length} images, different content). Drop the same folder into ${domain}, then resume again.`;
}
