/**
 * What a shared link asks for on open: load its demo as soon as the engine is ready, then (autostart) train.
 * Runs once per page: the settings keep the request so the link stays in the address bar, but a later
 * Stop or new data is the user's to decide.
 */
import { useEffect, useRef } from 'react';
import { useStudioStore } from './store/react';
import { useStudio } from './store/react';

export function useLaunch(): void {
  const store = useStudioStore();
  const ready = useStudio((s) => s.run.engine === 'ready');
  const done = useRef(false);
  useEffect(() => {
    if (!ready || done.current) return;
    done.current = true;
    const { settings, loadDemo, train } = store.getState();
    if (!settings.launch.demo) return;
    void (async () => {
      if ((await loadDemo(settings.demo)) && settings.launch.autostart) await train();
    })();
  }, [ready, store]);
}
