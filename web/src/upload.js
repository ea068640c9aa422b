// The entry of the page templates/upload.html: sends the coverage file with
// XMLHttpRequest so that the upload's progress shows, then waits while the
// server checks and imports it, and shows the summary or the error report.
import { problemText } from './upload-problems.js';

const form = document.getElementById('import');
const status = document.getElementById('status');
const progress = document.getElementById('progress');
const statusText = document.getElementById('status-text');
const result = document.getElementById('result');
const number = new Intl.NumberFormat('sv-SE');
const plural = (n, one, many) => `${number.format(n)} ${n === 1 ? one : many}`;

// The kind of import (the select's options come from the server's table of
// kinds, server/upload_kinds.go): a coverage snapshot needs its date, a
// project register does not.
const kind = document.getElementById('kind');
const asOfField = document.getElementById('as-of-field');
const asOfInput = document.getElementById('as_of');
const fileInput = document.getElementById('file');
function syncKind() {
  if (!kind) return;
  const o = kind.selectedOptions[0];
  const needsDate = o.dataset.asOf === 'true';
  asOfField.hidden = !needsDate;
  asOfInput.required = needsDate;
  asOfInput.disabled = !needsDate;
  fileInput.accept = o.dataset.accept;
  document.getElementById('kind-hint').textContent = o.dataset.hint;
}
if (kind) {
  kind.addEventListener('change', syncKind);
  syncKind();
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function problemList(title, items, total) {
  const box = document.createDocumentFragment();
  box.append(el('h3', title));
  const list = el('ol', undefined, 'problems');
  for (const p of items) {
    const li = el('li');
    li.append(el('span', problemText(p)));
    list.append(li);
  }
  box.append(list);
  if (total > items.length) {
    box.append(el('p', `… och ${number.format(total - items.length)} till som inte visas.`));
  }
  return box;
}

// details are the problems with their kinds (error_details, warning_details),
// or, for an import that gives only texts, the texts as they are.
const details = (list, texts) => list || (Array.isArray(texts) ? texts.filter((x) => typeof x === 'string').map((m) => ({ message: m })) : []);

// summary says what an import did, per kind of file.
function summary(body) {
  if (body.kind === 'mobile') {
    const verb = body.replaced ? 'Ersatte mobiltäckningen' : 'Importerade mobiltäckningen';
    const against = body.coverage_as_of
      ? `Hushåll, arbetsställen och fritidshus räknas i täckningsdata per ${body.coverage_as_of}.`
      : 'Det finns ingen täckningsdata för fast bredband att räkna hushåll i ännu.';
    return (
      `${verb} per ${body.as_of} från ${body.file}: ${number.format(body.squares)} rutor om ${body.square_size} m, ` +
      `${plural(body.rows, 'rad', 'rader')}, operatörerna ${(body.operators || []).join(', ')}, ` +
      `${plural(body.warning_count, 'varning', 'varningar')}. ${against}`
    );
  }
  const verb = body.replaced ? 'Ersatte ögonblicksbilden' : 'Importerade ögonblicksbilden';
  return (
    `${verb} per ${body.as_of} från ${body.file}: ${plural(body.points, 'adresspunkt', 'adresspunkter')}, ` +
    `${plural(body.rows, 'rad', 'rader')}, ${number.format(body.households)} hushåll, ` +
    `${plural(body.workplaces, 'arbetsställe', 'arbetsställen')}, ${plural(body.warning_count, 'varning', 'varningar')}.`
  );
}

function showResult(httpStatus, body) {
  result.replaceChildren();
  const errors = body ? details(body.error_details, body.errors) : [];
  const warnings = body ? details(body.warning_details, body.warnings) : [];
  if (body && body.ok && body.kind === 'projects') {
    result.className = 'notice notice-ok';
    result.append(
      el('h2', 'Importen är klar'),
      el('p', `Projektregistret från ${body.file} är nu version ${body.version}: ${number.format(body.projects)} projekt, ${plural(body.warning_count, 'varning', 'varningar')}.`),
    );
    if (warnings.length) result.append(problemList('Varningar', warnings, body.warning_count));
  } else if (body && body.ok) {
    const h = el('h2', 'Importen är klar');
    const p = el('p', summary(body));
    result.append(h, p);
    result.className = 'notice notice-ok';
    if (body.follow_up) result.append(el('p', body.follow_up));
    if (warnings.length) result.append(problemList('Varningar', warnings, body.warning_count));
  } else if (errors.length) {
    result.className = 'notice notice-error';
    result.append(
      el('h2', 'Filen importerades inte'),
      el(
        'p',
        `${body.file} har ${number.format(body.error_count)} fel. Ingenting i databasen har ändrats. ` +
          'Rätta felen i filen och ladda upp den igen.',
      ),
      problemList('Fel', errors, body.error_count),
    );
    if (warnings.length) result.append(problemList('Varningar', warnings, body.warning_count));
  } else {
    result.className = 'notice notice-error';
    const msg = body && body.errors && body.errors[0] ? body.errors[0].message : `HTTP ${httpStatus}`;
    const text =
      httpStatus === 401 || httpStatus === 403
        ? 'Du är inte inloggad som samordnare längre. Logga in igen och försök på nytt.'
        : `Importen misslyckades (${msg}). Ingenting i databasen har ändrats.`;
    result.append(el('h2', 'Filen importerades inte'), el('p', text));
  }
  result.focus();
}

if (form) {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    const data = new FormData(form); // csrf, kind, as_of, file: the order the server reads them in
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.responseType = 'json';
    xhr.setRequestHeader('Accept', 'application/json');
    status.hidden = false;
    result.replaceChildren();
    result.className = '';
    progress.value = 0;
    statusText.textContent = 'Laddar upp … 0 %';
    button.disabled = true;
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const pct = Math.floor((e.loaded / e.total) * 100);
      progress.value = pct;
      statusText.textContent = `Laddar upp … ${pct} %`;
    });
    xhr.upload.addEventListener('load', () => {
      progress.removeAttribute('value'); // indeterminate while the server works
      statusText.textContent = 'Kontrollerar och importerar …';
    });
    xhr.addEventListener('load', () => {
      status.hidden = true;
      button.disabled = false;
      showResult(xhr.status, xhr.response);
    });
    xhr.addEventListener('error', () => {
      status.hidden = true;
      button.disabled = false;
      showResult(0, null);
    });
    xhr.send(data);
  });
}
