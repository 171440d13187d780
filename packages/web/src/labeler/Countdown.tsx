import { useEffect, useRef, useState } from 'react';

function format(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Time left on a lease; calls onExpire once when it runs out. `deadline` is on the local clock (Date.now()). */
export function Countdown({ deadline, onExpire }: { deadline: number; onExpire: () => void }) {
  const [left, setLeft] = useState(() => deadline - Date.now());
  const expire = useRef(onExpire);
  expire.current = onExpire;
  useEffect(() => {
    let fired = false;
    const tick = () => {
      const ms = deadline - Date.now();
      setLeft(ms);
      if (ms <= 0 && !fired) {
        fired = true;
        expire.current();
      }
    };
    tick();
    const timer = window.setInterval(tick, 250);
    return () => window.clearInterval(timer);
  }, [deadline]);
  return (
    <span
      className={`countdown${left < 30_000 ? ' is-urgent' : ''}`}
      role="timer"
      aria-label="Time left to answer"
    >
      {format(left)}
    </span>
  );
}
