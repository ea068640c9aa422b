// The coverage API (/api/v1, described by /api/v1/openapi.json).

/** ApiError is a failed request: its status and the API's first message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function getJSON(path) {
  const resp = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!resp.ok) {
    let message = resp.statusText;
    try {
      message = (await resp.json()).errors[0].message;
    } catch {
      // not the API's error body: keep the status text
    }
    throw new ApiError(resp.status, message);
  }
  return resp.json();
}

function withAsOf(path, asOf) {
  return asOf ? `${path}?as_of=${encodeURIComponent(asOf)}` : path;
}

/** snapshots lists the snapshots, oldest first, and the latest's date. */
export function snapshots() {
  return getJSON('/api/v1/snapshots');
}

/** municipalities gives every municipality's headline figures as of asOf. */
export function municipalities(asOf) {
  return getJSON(withAsOf('/api/v1/municipalities', asOf));
}

/** municipality gives one municipality's full report and its county's. */
export function municipality(code, asOf) {
  return getJSON(withAsOf(`/api/v1/municipalities/${encodeURIComponent(code)}`, asOf));
}

/** targetsDownload is the URL of the targets report as csv or xlsx, of one target or ('') all. */
export function targetsDownload(asOf, format, target = '') {
  const q = new URLSearchParams({ format });
  if (asOf) q.set('as_of', asOf);
  if (target) q.set('target', target);
  return `/api/v1/targets?${q}`;
}

/** tileURL is a layer's tile URL template for MapLibre: absolute, as its workers need. */
export function tileURL(layer, asOf) {
  return `${location.origin}/tiles/${layer}/{z}/{x}/{y}.mvt${asOf ? `?as_of=${encodeURIComponent(asOf)}` : ''}`;
}

/** mobileSnapshots lists the mobile snapshots and names the one in force on asOf (null: the latest). */
export function mobileSnapshots(asOf) {
  return getJSON(`/api/v1/mobile/snapshots${asOf ? `?on=${encodeURIComponent(asOf)}` : ''}`);
}

/** mobile gives the mobile report of the mobile snapshot of asOf. */
export function mobile(asOf) {
  return getJSON(withAsOf('/api/v1/mobile', asOf));
}
