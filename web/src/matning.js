// The entry of /matning (templates/matning.html): run the speed test or
// take a typed-in result, place it by a picked address or the browser's
// position, submit it to POST /api/v1/measurements and answer in plain
// Swedish what was stored (the square, never the address) and how the area
// compares. No cookies: an Idempotency-Key per measurement makes a second
// press of the button, or a retry after a 503, store it once.
import './matning.css';
import { addressCombobox } from './matning-address.js';
import { runSpeedTest } from './matning-test.js';
import { mbit, ms } from './speed.js';

const $ = (id) => document.getElementById(id);
const whole = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });

// The municipalities of Kalmar län by their official names; elsewhere
// "kommunen X", which is always correct Swedish.
const officialNames = {
  '0821': 'Högsby kommun', '0834': 'Torsås kommun', '0840': 'Mörbylånga kommun', '0860': 'Hultsfreds kommun',
  '0861': 'Mönsterås kommun', '0862': 'Emmaboda kommun', '0880': 'Kalmar kommun', '0881': 'Nybro kommun',
  '0882': 'Oskarshamns kommun', '0883': 'Västerviks kommun', '0884': 'Vimmerby kommun', '0885': 'Borgholms kommun',
};
const inMunicipality = (m) => (officialNames[m.code] ? `i ${officialNames[m.code]}` : `i kommunen ${m.name}`);

const state = {
  measured: null, // from the speed test: {downMbps, upMbps, latencyMs, jitterMs}
  place: null, // {address} or {lat, lon}
  lastBody: '',
  key: '',
};

const form = $('matning');

// 1. The speed test.
$('starta-test').addEventListener('click', async () => {
  const button = $('starta-test');
  const status = $('test-status');
  const progress = $('test-progress');
  button.disabled = true;
  state.measured = null;
  for (const id of ['resultat-ned', 'resultat-upp', 'resultat-latens']) $(id).textContent = '–';
  progress.hidden = false;
  progress.value = 0;
  status.textContent = 'Mäter nedladdning …';
  let phase = 'download';
  try {
    const result = await runSpeedTest(({ phase: p, fraction, mbps }) => {
      if (p !== phase) {
        phase = p;
        status.textContent = 'Mäter uppladdning …';
      }
      const pct = Math.round((p === 'download' ? 0 : 50) + fraction * 50);
      progress.value = pct;
      progress.textContent = `${pct} %`;
      if (mbps !== null) $(p === 'download' ? 'resultat-ned' : 'resultat-upp').textContent = mbit(mbps);
    });
    state.measured = result;
    $('resultat-ned').textContent = mbit(result.downMbps);
    $('resultat-upp').textContent = mbit(result.upMbps);
    $('resultat-latens').textContent = ms(result.latencyMs) ?? 'inte uppmätt';
    progress.value = 100;
    status.textContent = `Klart: ${mbit(result.downMbps)} ned och ${mbit(result.upMbps)} upp. Ange var du är och skicka mätningen.`;
  } catch {
    status.textContent = 'Mätningen gick inte att genomföra. Kontrollera uppkopplingen och försök igen, eller skriv in ett resultat från ett annat test.';
  } finally {
    button.disabled = false;
    progress.hidden = true;
  }
});

// 2. Where: a picked address, or the browser's position (asked only on a press).
const combobox = addressCombobox($('adress'), $('adress-forslag'), $('adress-antal'), (a) => {
  if (a) {
    state.place = { address: a.label };
    $('plats-status').textContent = `Vald adress: ${a.label}.`;
  } else if (state.place && state.place.address) {
    state.place = null;
    $('plats-status').textContent = '';
  }
  setError('plats-fel', '');
});

$('min-position').addEventListener('click', () => {
  const status = $('plats-status');
  if (!('geolocation' in navigator)) {
    status.textContent = 'Webbläsaren kan inte ange din position. Välj en adress i stället.';
    return;
  }
  status.textContent = 'Frågar webbläsaren efter din position …';
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      combobox.clear();
      state.place = { lat: pos.coords.latitude, lon: pos.coords.longitude };
      const accuracy = pos.coords.accuracy ? ` (ungefär ± ${whole.format(pos.coords.accuracy)} m)` : '';
      status.textContent = `Positionen är hämtad${accuracy}. Vi använder den bara för att hitta rutan.`;
      setError('plats-fel', '');
    },
    (err) => {
      status.textContent =
        err.code === err.PERMISSION_DENIED
          ? 'Du valde att inte dela din position. Välj en adress i stället.'
          : 'Positionen gick inte att hämta. Välj en adress i stället.';
    },
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
  );
});

// 3. Submit.
function setError(id, text) {
  const el = $(id);
  el.textContent = text;
  const input = { 'ned-fel': 'ned', 'upp-fel': 'upp', 'latens-fel': 'latens', 'abonnemang-fel': 'abonnemang', 'operator-fel': 'operator', 'plats-fel': 'adress' }[id];
  if (input) $(input).setAttribute('aria-invalid', text ? 'true' : 'false');
}

function number(id) {
  const v = $(id).value.trim().replace(/\s/g, '').replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

/** body builds the submission, or returns null after showing what is missing. */
function body() {
  for (const id of ['ned-fel', 'upp-fel', 'latens-fel', 'abonnemang-fel', 'operator-fel', 'plats-fel', 'skicka-fel']) setError(id, '');
  const m = {};
  let ok = true;
  const fail = (id, text) => {
    setError(id, text);
    ok = false;
  };
  const typed = [number('ned'), number('upp'), number('latens')];
  if (typed.some((v) => v !== null)) {
    const [down, up, latency] = typed;
    if (!(down > 0)) fail('ned-fel', 'Skriv nedladdningen i Mbit/s, till exempel 94,5.');
    if (!(up > 0)) fail('upp-fel', 'Skriv uppladdningen i Mbit/s, till exempel 18,2.');
    if (latency !== null && !(latency > 0)) fail('latens-fel', 'Skriv svarstiden i millisekunder, eller lämna fältet tomt.');
    Object.assign(m, { down_mbps: down, up_mbps: up });
    if (latency !== null) m.latency_ms = latency;
    m.source = $('kalla').value.trim() || 'annat test';
  } else if (state.measured) {
    m.down_mbps = state.measured.downMbps;
    m.up_mbps = state.measured.upMbps;
    if (state.measured.latencyMs !== null) m.latency_ms = state.measured.latencyMs;
    if (state.measured.jitterMs !== null) m.jitter_ms = state.measured.jitterMs;
    m.source = 'page';
  } else {
    fail('skicka-fel', 'Mät först, eller skriv in ett resultat från ett annat test.');
  }
  if (!state.place) {
    fail('plats-fel', 'Välj en adress i listan eller använd din position.');
  } else {
    Object.assign(m, state.place);
  }
  m.connection = $('anslutning').value;
  const operator = $('operator').value.trim();
  if (operator !== '') {
    if (!/[\p{L}\p{N}]/u.test(operator)) fail('operator-fel', 'Skriv operatörens namn, till exempel Telia, eller lämna fältet tomt.');
    else if ([...operator].length > 64) fail('operator-fel', 'Operatörens namn får vara högst 64 tecken.');
    else m.operator = operator;
  }
  const sub = number('abonnemang');
  if (sub !== null) {
    if (sub > 0) m.subscribed_down_mbps = sub;
    else fail('abonnemang-fel', 'Skriv hastigheten i Mbit/s, eller lämna fältet tomt.');
  }
  return ok ? m : null;
}

// What each field's problem means to the resident, when the server names it.
const fieldErrors = {
  down_mbps: ['ned-fel', 'Nedladdningen måste vara mer än 0 och högst 100 000 Mbit/s.'],
  up_mbps: ['upp-fel', 'Uppladdningen måste vara mer än 0 och högst 100 000 Mbit/s.'],
  latency_ms: ['latens-fel', 'Svarstiden måste vara mer än 0 och högst 60 000 ms.'],
  subscribed_down_mbps: ['abonnemang-fel', 'Hastigheten du betalar för måste vara mer än 0 och högst 100 000 Mbit/s.'],
  operator: ['operator-fel', 'Skriv operatörens namn med bokstäver och siffror, högst 64 tecken, eller lämna fältet tomt.'],
  address: ['plats-fel', 'Adressen hittades inte. Välj en adress i listan.'],
  lat: ['plats-fel', 'Positionen ligger inte i Sverige. Välj en adress i stället.'],
  lon: ['plats-fel', 'Positionen ligger inte i Sverige. Välj en adress i stället.'],
};

function randomKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16)); // also outside a secure context
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const m = body();
  if (!m) {
    const first = form.querySelector('.field-error:not(:empty)');
    if (first) first.scrollIntoView({ block: 'center' });
    return;
  }
  const text = JSON.stringify(m);
  if (text !== state.lastBody) {
    state.lastBody = text;
    state.key = randomKey(); // the same measurement sent again keeps its key
  }
  const button = $('skicka');
  button.disabled = true;
  try {
    const resp = await fetch('/api/v1/measurements', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': state.key },
      body: text,
    });
    const reply = await resp.json().catch(() => ({}));
    if (resp.status === 201) {
      await answer(reply, m);
      return;
    }
    if (resp.status === 400 && reply.errors) {
      let shown = false;
      for (const err of reply.errors) {
        const known = fieldErrors[err.field];
        if (known) {
          setError(known[0], known[1]);
          shown = true;
        }
      }
      if (!shown) setError('skicka-fel', 'Något i mätningen stämmer inte. Kontrollera fälten och försök igen.');
    } else if (resp.status === 429) {
      setError('skicka-fel', 'Du har skickat många mätningar på kort tid. Vänta en stund och försök igen.');
    } else if (resp.status === 503) {
      setError('skicka-fel', 'Servern är upptagen just nu och mätningen sparades inte. Försök igen om en stund.');
    } else {
      setError('skicka-fel', 'Mätningen kunde inte sparas. Försök igen senare.');
    }
  } catch {
    setError('skicka-fel', 'Servern gick inte att nå. Kontrollera uppkopplingen och försök igen.');
  } finally {
    button.disabled = false;
  }
});

async function summary(area) {
  try {
    const resp = await fetch(`/api/v1/measurements/summary?area=${encodeURIComponent(area)}&period=all`, {
      headers: { Accept: 'application/json' },
    });
    return resp.ok ? await resp.json() : null;
  } catch {
    return null;
  }
}

function paragraph(text) {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

/** answer says in plain Swedish what was stored and how the area compares. */
async function answer(stored, sent) {
  const where = inMunicipality(stored.municipality);
  const parts = [
    paragraph(`Vi sparade din mätning i rutan ${stored.square} ${where} (inte din adress eller din position).`),
  ];
  let yours = `Du mätte ${mbit(sent.down_mbps)} ned och ${mbit(sent.up_mbps)} upp`;
  if (ms(sent.latency_ms)) yours += `, med en svarstid på ${ms(sent.latency_ms)}`;
  parts.push(paragraph(`${yours}.`));
  if (sent.subscribed_down_mbps) {
    const share = Math.round((100 * sent.down_mbps) / sent.subscribed_down_mbps);
    parts.push(paragraph(`Du betalar för ${mbit(sent.subscribed_down_mbps)}: du fick ${whole.format(share)} % av det vid mätningen.`));
  }
  const [square, municipality] = await Promise.all([
    summary(`square:${stored.square}`),
    summary(`municipality:${stored.municipality.code}`),
  ]);
  if (square && square.published) {
    const f = square.figures;
    parts.push(
      paragraph(
        `I rutan finns ${whole.format(f.count)} mätningar: median ${mbit(f.down_mbps.median)} ned och ${mbit(f.up_mbps.median)} upp. ` +
          `En av tio mätte under ${mbit(f.down_mbps.p10)} ned.`,
      ),
    );
    if (square.offered) {
      if (square.flagged) {
        parts.push(
          paragraph(
            'Här erbjuds minst 1 Gbit/s, men medianen är under 100 Mbit/s. Regionen tar upp skillnaden med nätägaren.',
          ),
        );
      } else if (square.offered.gigabit) {
        parts.push(paragraph('Här erbjuds minst 1 Gbit/s.'));
      } else {
        parts.push(paragraph(`Det snabbaste fasta bredband som erbjuds i rutan är ${mbit(square.offered.best_fixed_mbps)}.`));
      }
    }
  } else {
    parts.push(paragraph('I rutan finns för få mätningar för att visa något ännu (minst fem behövs).'));
  }
  if (municipality && municipality.published) {
    const f = municipality.figures;
    parts.push(
      paragraph(
        `I${where.slice(1)} är medianen ${mbit(f.down_mbps.median)} ned och ${mbit(f.up_mbps.median)} upp ` +
          `(${whole.format(f.count)} mätningar).`,
      ),
    );
  }
  $('svar-text').replaceChildren(...parts);
  form.hidden = true;
  const section = $('svar');
  section.hidden = false;
  section.focus();
}

$('mat-igen').addEventListener('click', () => {
  $('svar').hidden = true;
  form.hidden = false;
  state.measured = null;
  state.lastBody = '';
  for (const id of ['resultat-ned', 'resultat-upp', 'resultat-latens']) $(id).textContent = '–';
  for (const id of ['ned', 'upp', 'latens']) $(id).value = '';
  $('test-status').textContent = '';
  $('starta-test').focus();
});
