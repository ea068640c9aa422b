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
  const plural = new Intl.PluralRules('sv-SE');
  const fillIn = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
  const t = (key, values = {}) => {
    const text = all[key];
    if (text == null) throw new Error(`no text ${key} in #${id}`);
    return fillIn(Array.isArray(text) ? text[1] : text, values);
  };
  /**
   * t.n picks the singular or the plural of a text given as a pair
   * ["{n} arbetsställe", "{n} arbetsställen"] for count; values.n is the
   * count as it is shown (formatted), or the count itself.
   */
  t.n = (key, count, values = {}) => {
    const text = all[key];
    if (!Array.isArray(text)) throw new Error(`text ${key} in #${id} is no [singular, plural] pair`);
    return fillIn(text[plural.select(count) === 'one' ? 0 : 1], { n: count, ...values });
  };
  /** t.list returns a list of texts as it is. */
  t.list = (key) => {
    const list = all[key];
    if (!Array.isArray(list)) throw new Error(`text ${key} in #${id} is no list`);
    return list;
  };
  return t;
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
