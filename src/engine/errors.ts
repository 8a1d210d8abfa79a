/**
 * Named errors of the engine, each with a message that tells the user what to do next. They cross the worker
 * boundary as {name, message} (ErrorInfo) and come back on the main thread as a RemoteError with the same name.
 * No tfjs import here: the main thread's client uses this file.
 */
import type { ErrorInfo } from '../protocol/messages';

/** A request that conflicts with what the engine is doing (e.g. changing images while training). */
export class EngineBusyError extends Error {
  override name = 'EngineBusyError';
}

/** Training was asked for while a domain has no images. */
export class EmptyDomainError extends Error {
  override name = 'EmptyDomainError';
}

/** The lr schedule is finished: nothing left to train. */
export class ScheduleCompleteError extends Error {
  override name = 'ScheduleCompleteError';
}

/** Train or Step once the schedule is done. */
export const scheduleComplete = (totalIters: number): ScheduleCompleteError =>
  new ScheduleCompleteError(`The schedule is complete (${totalIters} iterations). Raise nEpochs or nEpochsDecay to keep training, or press Stop to start a new run.`);

export { BackendUnavailableError } from '../backend/errors';

/** A file that is not an image (by type or extension). */
export class NotAnImageError extends Error {
  override name = 'NotAnImageError';
}

/** An image file the browser could not decode. */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/** The worker itself failed (did not load, crashed, or sent a message that could not be read). */
export class WorkerCrashError extends Error {
  override name = 'WorkerCrashError';
}

/** An error thrown in the worker, rebuilt on the main thread: same name, same message. */
export class RemoteError extends Error {
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
  }
}

/** Any thrown value → {name, message}; never an empty message. */
export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message || String(e) };
  if (typeof e === 'object' && e !== null && 'message' in e) {
    const m = (e as { message: unknown; name?: unknown }).message;
    const n = (e as { name?: unknown }).name;
    return { name: typeof n === 'string' && n ? n : 'Error', message: String(m) };
  }
  return { name: 'Error', message: String(e) };
}

/** "RangeError: message" (just the message for a plain Error): what a fault message quotes. */
export function errorText(e: unknown): string {
  const { name, message } = errorInfo(e);
  return name === 'Error' ? message : `${name}: ${message}`;
}
