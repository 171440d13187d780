import { healthRoute } from '@jury/api';
import { useEffect, useState } from 'react';
import { errorMessage, jury } from '../api.ts';

/** One line on the server's health, for the signed-out pages (is this the server I think it is?). */
export function ServerHealth() {
  const [line, setLine] = useState('Checking the server…');
  useEffect(() => {
    jury
      .call(healthRoute)
      .then((h) => setLine(`Server ${h.status}: version ${h.version}, ${h.database} database.`))
      .catch((err: unknown) => setLine(`Server health unknown: ${errorMessage(err)}`));
  }, []);
  return (
    <p className="muted small" role="status">
      {line}
    </p>
  );
}
