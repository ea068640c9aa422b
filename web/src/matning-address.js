// The address field of /matning: a combobox (WAI-ARIA 1.2, list
// autocomplete) that suggests street addresses from /api/v1/addresses.
// Up and Down move through the suggestions, Enter picks one, Escape closes
// the list; a click picks one too. Only a picked suggestion counts.

const MIN_CHARS = 3;

/**
 * addressCombobox wires the input and its listbox.
 *
 * @param {HTMLInputElement} input
 * @param {HTMLUListElement} list
 * @param {HTMLElement} count a live region that says how many suggestions there are
 * @param {(a: {label: string, square: string}|null) => void} onPick called with the picked
 *   address, or null when the text no longer is one
 */
export function addressCombobox(input, list, count, onPick) {
  let options = [];
  let active = -1;
  let picked = null;
  let timer = 0;
  let generation = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  const pick = (i) => {
    picked = options[i];
    input.value = picked.label;
    close();
    onPick(picked);
  };

  const show = (found) => {
    // Suggestions that arrive after the user has moved to one keep it
    // highlighted when it is still among them: Enter picks what was chosen.
    const kept = active >= 0 && options[active] ? options[active].label : null;
    options = found;
    list.replaceChildren(
      ...found.map((a, i) => {
        const li = document.createElement('li');
        li.id = `adress-forslag-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = a.label;
        // mousedown, not click: the input keeps its focus
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          pick(i);
        });
        return li;
      }),
    );
    count.textContent =
      found.length === 0 ? 'Inga adresser hittades' : found.length === 1 ? '1 förslag' : `${found.length} förslag`;
    if (found.length === 0) {
      close();
      return;
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(kept === null ? -1 : found.findIndex((a) => a.label === kept));
  };

  const suggest = async (q) => {
    const mine = ++generation;
    try {
      const resp = await fetch(`/api/v1/addresses?q=${encodeURIComponent(q)}`, { headers: { Accept: 'application/json' } });
      if (!resp.ok) throw new Error(`status ${resp.status}`);
      const body = await resp.json();
      if (mine === generation) show(body.addresses);
    } catch {
      if (mine === generation) {
        count.textContent = 'Adressförslagen gick inte att hämta just nu';
        close();
      }
    }
  };

  input.addEventListener('input', () => {
    if (picked && input.value !== picked.label) {
      picked = null;
      onPick(null);
    }
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < MIN_CHARS) {
      generation++;
      close();
      return;
    }
    timer = setTimeout(() => suggest(q), 200);
  });

  input.addEventListener('keydown', (e) => {
    if (list.hidden || options.length === 0) {
      if (e.key === 'ArrowDown' && input.value.trim().length >= MIN_CHARS) suggest(input.value.trim());
      return;
    }
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        highlight((active + 1) % options.length);
        break;
      case 'ArrowUp':
        e.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
        break;
      case 'Enter':
        if (active >= 0) {
          e.preventDefault();
          pick(active);
        }
        break;
      case 'Escape':
        e.preventDefault();
        close();
        break;
    }
  });

  input.addEventListener('blur', close);

  return {
    clear() {
      picked = null;
      input.value = '';
      close();
    },
  };
}
