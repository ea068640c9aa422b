// The import's problems in Swedish: each problem comes with its kind (code)
// and figures (params) from the server, and the page's texts
// (#problem-texter in templates/upload.html) say it in Swedish. A kind the
// page has no text for shows the server's English message.

const texts = JSON.parse(document.getElementById('problem-texter')?.textContent || '{}');

const fill = (text, params) => text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? params[name] : m));

/**
 * where says where the problem is: "Rad 12, kolumn households, värdet ”x”",
 * or in a project register "Objekt 3 (id ”P-7”), egenskapen status, värdet ”x”"
 * (objects counted from 0, as .features[3] in the file).
 */
function where(p) {
  const parts = [];
  if (p.feature !== undefined || p.property) {
    if (p.feature !== undefined) parts.push(`Objekt ${p.feature}${p.id ? ` (id ”${p.id}”)` : ''}`);
    if (p.property) parts.push(`egenskapen ${p.property}`);
    if (p.value) parts.push(`värdet ”${p.value}”`);
    return parts.join(', ');
  }
  if (p.line === 1 && p.column) parts.push(`Rubrikraden, kolumnen ${p.column}`);
  else {
    if (p.line > 0) parts.push(p.line === 1 ? 'Rubrikraden' : `Rad ${p.line}`);
    if (p.column) parts.push(`kolumn ${p.column}`);
  }
  if (p.value || (p.column && p.line > 1)) parts.push(`värdet ”${p.value}”`);
  return parts.join(', ');
}

/** problemText is one problem in Swedish, with where it is. */
export function problemText(p) {
  const params = { ...(p.params || {}) };
  if (params.format && texts.formats && texts.formats[params.format]) params.format = texts.formats[params.format];
  if (p.code === 'outside-municipality' && params.located) params.metres += ` (den ligger i kommun ${params.located})`;
  const what = p.code && typeof texts[p.code] === 'string' ? fill(texts[p.code], params) : p.message;
  const at = where(p);
  return at ? `${at}: ${what}` : what;
}

/** known reports whether the page has a Swedish text for the kind. */
export function known(code) {
  return typeof texts[code] === 'string';
}
