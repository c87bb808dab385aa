// The console's only way to the API: same origin, the key (if any) from this tab's sessionStorage only.

const base = new URL('../', location.href); // the console lives at /api/console/
const keyName = 'workflows.key';

export const key = {
  get: () => sessionStorage.getItem(keyName),
  set: (value) => sessionStorage.setItem(keyName, value),
  clear: () => sessionStorage.removeItem(keyName),
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = typeof problem === 'object' ? problem : null;
  }
}

function headers(extra = {}) {
  const k = key.get();
  return k ? { ...extra, 'x-functions-key': k } : extra;
}

export async function api(path, { method = 'GET', json, signal } = {}) {
  const init = { method, headers: headers(), signal };
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const response = await fetch(new URL(path, base), init);
  const type = response.headers.get('content-type') ?? '';
  const body = response.status === 204 ? null : type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** A URL for an <img> or a link (they cannot send headers): the key rides along as the Functions 'code' parameter. */
export function withKey(url) {
  const k = key.get();
  if (!k) return url;
  const u = new URL(url, base);
  u.searchParams.set('code', k);
  return u.toString();
}

/** Uploads one file as the raw body of POST /api/assets, reporting progress (0..1); resolves with the 202 body. */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', new URL(`assets?name=${encodeURIComponent(file.name)}`, base));
    for (const [name, value] of Object.entries(headers({ 'content-type': file.type || 'application/octet-stream' }))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = { detail: xhr.responseText || `HTTP ${xhr.status}` }; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body); else reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, { title: 'Upload failed.', detail: 'The connection was lost.' }));
    xhr.send(file);
  });
}
