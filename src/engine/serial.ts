/**
 * A serial queue: each task starts once every task queued before it has settled, so tasks run one at a time, in
 * the order they were queued. A task that fails fails only its own caller; the next one runs as usual.
 */
export type Serial = <T>(task: () => Promise<T>) => Promise<T>;

export function serialQueue(): Serial {
  let queue: Promise<unknown> = Promise.resolve();
  return (task) => {
    const p = queue.then(task, task);
    queue = p.catch(() => undefined);
    return p;
  };
}
