/**
 * The page every HTML report is written into (document-html.ts fills it): one standalone file, no
 * scripts, no external resources, a Content-Security-Policy that forbids everything but its own
 * inline stylesheet (pinned by hash). Every text node in it is escaped by its caller, because packet
 * text is attacker-controlled.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as esc } from './html-escape';

export const REPORT_STYLE = `
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; margin: 0; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 8px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 16px; margin-top: 20px; }
.preface { color: #57606a; font-style: italic; margin: 4px 0; }
.case-status { border-left: 3px solid #57606a; padding-left: 8px; margin: 2px 0; font-size: 0.9em; }
.placeholder { background: #fff8c5; border: 1px dashed #d4a72c; padding: 2px 4px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; white-space: nowrap; }
td { overflow-wrap: break-word; hyphens: manual; }
figure { margin: 20px 0; } figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #d0d7de; }
a.packet { color: #0550ae; text-decoration: none; border-bottom: 1px dotted #0550ae; }
figcaption { color: #57606a; font-size: 12.5px; margin-top: 6px; }
td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
@media print { main { max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } figure { break-inside: avoid; } }
`;

/** CSP 'sha256-…' source for the inline stylesheet (CSP Level 2 §4.2.4). */
function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

export const REPORT_CSP = `default-src 'none'; style-src ${styleHash(REPORT_STYLE)}; img-src 'none'; font-src 'none'; connect-src 'none'; `
  + `script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`;

/** The self-contained page every HTML report uses: strict CSP with the pinned style, no scripts, no referrer. */
export function htmlPage(title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
