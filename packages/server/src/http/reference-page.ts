// A self-contained API reference rendered from the OpenAPI document (no CDN: self-hosted Jury works offline).
type Json = Record<string, unknown>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function schemaBlock(schema: unknown): string {
  return schema ? `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>` : '';
}

export function renderReferencePage(doc: Json): string {
  const info = (doc.info ?? {}) as Json;
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0] ?? 'other';
      const params = ((op.parameters as Json[] | undefined) ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(String(p.name))}</code> (${escapeHtml(String(p.in))}${p.required ? ', required' : ''})</li>`,
        )
        .join('');
      const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
      const bodyHtml = body
        ? Object.entries(body)
            .map(
              ([type, c]) =>
                `<div><b>Body</b> <code>${escapeHtml(type)}</code>${schemaBlock(c.schema)}</div>`,
            )
            .join('')
        : '';
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
        .map(
          ([status, r]) =>
            `<li><code>${escapeHtml(status)}</code> ${escapeHtml(String(r.description ?? ''))}</li>`,
        )
        .join('');
      const html = `<section class="op" id="${escapeHtml(`${method}-${path}`)}">
<h3><span class="m ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(String(op.summary ?? ''))}</p>${op.description ? `<p>${escapeHtml(String(op.description))}</p>` : ''}
${op.security ? '<p class="auth">Requires a bearer token.</p>' : ''}
${params ? `<b>Parameters</b><ul>${params}</ul>` : ''}${bodyHtml}<b>Responses</b><ul>${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()]
    .map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`)
    .join(' · ');
  const sections = [...byTag.entries()]
    .map(([t, ops]) => `<h2 id="tag-${escapeHtml(t)}">${escapeHtml(t)}</h2>${ops.join('')}`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(String(info.title ?? 'API'))} reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
h2{border-bottom:1px solid #ddd;margin-top:2.5rem;text-transform:capitalize}.op{border:1px solid #e3e6ee;border-radius:8px;padding:.2rem 1rem;margin:1rem 0}
.m{font-size:.8em;padding:.1em .5em;border-radius:4px;color:#fff;background:#667}.get{background:#2a7}.post{background:#27c}.delete{background:#c33}.patch,.put{background:#c80}
pre{background:#f6f7f9;padding:.6rem;overflow:auto;font-size:12px;max-height:320px}.auth{color:#845}</style></head>
<body><h1>${escapeHtml(String(info.title ?? 'API'))} <small>${escapeHtml(String(info.version ?? ''))}</small></h1>
<p>${escapeHtml(String(info.description ?? ''))}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escapeHtml(String(doc.openapi ?? ''))})</p>
<nav>${nav}</nav>${sections}</body></html>`;
}
