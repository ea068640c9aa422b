// The page's Swedish text lives in its template, as a JSON block
// (<script type="application/json" id="…-texter">); the scripts only fill in
// the numbers.

/**
 * texts reads the JSON block with the given id and returns t(key, values),
 * which replaces {name} in the text with values.name.
 */
export function texts(id) {
  const el = document.getElementById(id);
  const all = el ? JSON.parse(el.textContent) : {};
  return (key, values = {}) => {
    const text = all[key];
    if (text == null) throw new Error(`no text ${key} in #${id}`);
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
  };
}

/** pageData reads the page's own JSON block (the template's .Page). */
export function pageData(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

/**
 * fill clones a <template> and sets the text of its [data-text] elements
 * from values; it returns the fragment.
 */
export function fill(templateId, values = {}) {
  const frag = document.getElementById(templateId).content.cloneNode(true);
  for (const el of frag.querySelectorAll('[data-text]')) {
    const v = values[el.dataset.text];
    if (v != null) el.textContent = v;
  }
  return frag;
}
