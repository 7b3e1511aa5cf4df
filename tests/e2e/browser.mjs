// The user's browser, scripted (fetch + a cookie jar, redirects followed by
// hand) through oidc-provider's development interaction pages.
//
//   node browser.mjs authorize AUTHORIZATION_URL [--deny] [--login NAME]
//        [--state VALUE] [--iss VALUE] [--drop-iss] [--no-callback]
//   node browser.mjs device VERIFICATION_URI[_COMPLETE] [USER_CODE] [--deny] [--login NAME]
//
// authorize: follows the URL through login + consent (or "[ Cancel ]" with
//   --deny) until the authorization server redirects to another origin (the
//   client's loopback redirect_uri), then GETs that URL so the client's
//   listener receives code+state (or error=access_denied). --state/--iss
//   rewrite those parameters first (state mismatch / mix-up tests),
//   --no-callback stops before the GET (login timeout tests).
//   --show-code prints the redirect with its real code (paste tests).
//   Prints "callback STATUS URL-without-code" and exits 0 once the redirect
//   target answered (any status); exits 1 when the flow broke.
// device: enters the user code (taken from verification_uri_complete when
//   USER_CODE is omitted), confirms, logs in and consents, or aborts with
//   --deny (the device then gets access_denied). Prints "device approved" or
//   "device denied" and exits 0; exits 1 when the flow broke.
import { isMain, log, parseArgs } from './util.mjs';

const MAX_STEPS = 40;

export class CookieJar {
  #cookies = new Map(); // `${origin} ${path} ${name}` -> { origin, path, name, value, expires }

  store(url, response) {
    const u = new URL(url);
    const lines = response.headers.getSetCookie?.() ?? [];
    for (const line of lines) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = u.pathname.replace(/\/[^/]*$/, '') || '/';
      let expires;
      for (const attr of attrs) {
        const [k, ...rest] = attr.split('=');
        const key = k.trim().toLowerCase();
        const v = rest.join('=').trim();
        if (key === 'path' && v.startsWith('/')) path = v;
        else if (key === 'max-age') expires = Date.now() + Number(v) * 1000;
        else if (key === 'expires' && expires === undefined) expires = Date.parse(v);
      }
      const id = `${u.origin} ${path} ${name}`;
      if (expires !== undefined && expires <= Date.now()) this.#cookies.delete(id);
      else this.#cookies.set(id, { origin: u.origin, path, name, value, expires });
    }
  }

  header(url) {
    const u = new URL(url);
    const now = Date.now();
    const out = [];
    for (const [id, c] of this.#cookies) {
      if (c.expires !== undefined && c.expires <= now) { this.#cookies.delete(id); continue; }
      if (c.origin !== u.origin) continue;
      const pathOk = u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`);
      if (!pathOk) continue;
      out.push(`${c.name}=${c.value}`);
    }
    return out.join('; ');
  }
}

function decodeEntities(s) {
  return s.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos|#39);/gi, (m, e) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos' || k === '#39') return "'";
    if (k.startsWith('#x')) return String.fromCodePoint(Number.parseInt(k.slice(2), 16));
    if (k.startsWith('#')) return String.fromCodePoint(Number.parseInt(k.slice(1), 10));
    return m;
  });
}

function attr(tag, name) {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!m) return undefined;
  return decodeEntities(m[1] ?? m[2] ?? m[3]);
}

// Every <form> of a page with its action, id and <input> fields.
export function parseForms(html, baseUrl) {
  const forms = [];
  const re = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
  let m;
  while ((m = re.exec(html))) {
    const open = `<form${m[1]}>`;
    const fields = [];
    for (const im of m[2].matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(im[0], 'name');
      if (name) fields.push({ name, value: attr(im[0], 'value') ?? '', type: (attr(im[0], 'type') ?? 'text').toLowerCase() });
    }
    forms.push({
      id: attr(open, 'id'),
      method: (attr(open, 'method') ?? 'get').toUpperCase(),
      action: new URL(attr(open, 'action') ?? baseUrl, baseUrl).href,
      fields,
    });
  }
  return forms;
}

function field(form, name) {
  return form.fields.find((f) => f.name === name);
}

function pageTitle(html) {
  const m = /<title>([\s\S]*?)<\/title>/i.exec(html);
  return m ? decodeEntities(m[1].trim()) : '';
}

// Text of oidc-provider's error page (<pre><strong>error</strong>: ...</pre>).
function errorPageText(html) {
  return [...html.matchAll(/<pre><strong>([^<]*)<\/strong>:\s*([^<]*)<\/pre>/g)]
    .map((m) => `${m[1]}: ${decodeEntities(m[2])}`).join(', ');
}

class Browser {
  constructor({ verbose = true } = {}) {
    this.jar = new CookieJar();
    this.verbose = verbose;
  }

  async request(url, { method = 'GET', form } = {}) {
    const headers = { accept: 'text/html,application/json;q=0.9,*/*;q=0.8', 'user-agent': 'mcpcred-e2e-browser' };
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.jar.store(url, res);
    const text = await res.text();
    if (this.verbose) log('browser', `${method} ${redact(url)} -> ${res.status}`);
    return { status: res.status, location: res.headers.get('location'), text, url };
  }
}

// Codes and tokens stay out of the logs.
function redact(url) {
  try {
    const u = new URL(url);
    for (const k of ['code', 'user_code', 'state', 'code_challenge']) if (u.searchParams.has(k)) u.searchParams.set(k, 'REDACTED');
    return u.href;
  } catch {
    return '(bad url)';
  }
}

function submitForm(browser, form, overrides = {}) {
  const data = {};
  for (const f of form.fields) data[f.name] = f.value;
  Object.assign(data, overrides);
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];
  return browser.request(form.action, { method: form.method, form: data });
}

/**
 * Drives an authorization request to its redirect. Returns
 * { status, callbackUrl, params } where status is the redirect target's
 * answer (null with noCallback) and params the redirect's query parameters.
 */
export async function authorize(authorizationUrl, options = {}) {
  const {
    deny = false, login = 'alice', state, iss, dropIss = false, noCallback = false, verbose = true,
  } = options;
  const browser = new Browser({ verbose });
  const asOrigin = new URL(authorizationUrl).origin;
  let page = await browser.request(authorizationUrl);

  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (page.status >= 300 && page.status < 400 && page.location) {
      const next = new URL(page.location, page.url);
      if (next.origin !== asOrigin) {
        if (state !== undefined) next.searchParams.set('state', state);
        if (iss !== undefined) next.searchParams.set('iss', iss);
        if (dropIss) next.searchParams.delete('iss');
        const params = Object.fromEntries(next.searchParams);
        if (noCallback) return { status: null, callbackUrl: next.href, params };
        const res = await fetch(next.href, { redirect: 'manual', signal: AbortSignal.timeout(30000) });
        const text = await res.text();
        if (verbose) log('browser', `GET ${redact(next.href)} -> ${res.status}`);
        return { status: res.status, callbackUrl: next.href, params, body: text };
      }
      page = await browser.request(next.href);
      continue;
    }
    if (page.status !== 200) {
      throw new Error(`authorization server answered ${page.status} at ${redact(page.url)}: ${errorPageText(page.text) || page.text.slice(0, 300)}`);
    }
    const forms = parseForms(page.text, page.url);
    const loginForm = forms.find((f) => field(f, 'prompt')?.value === 'login');
    const consentForm = forms.find((f) => field(f, 'prompt')?.value === 'consent');
    if ((loginForm || consentForm) && deny) {
      const abort = /<a href="([^"]*)">\[ Cancel \]<\/a>/.exec(page.text);
      const abortUrl = abort ? new URL(decodeEntities(abort[1]), page.url).href : `${page.url.replace(/\/$/, '')}/abort`;
      page = await browser.request(abortUrl);
    } else if (loginForm) {
      page = await submitForm(browser, loginForm, { login, password: 'any-password' });
    } else if (consentForm) {
      page = await submitForm(browser, consentForm);
    } else if (forms.length === 1 && forms[0].method === 'POST' && /Submitting Callback/.test(pageTitle(page.text))) {
      // response_mode=form_post: the auto-submitting form posts to the client.
      const f = forms[0];
      const data = Object.fromEntries(f.fields.map((x) => [x.name, x.value]));
      if (state !== undefined) data.state = state;
      if (iss !== undefined) data.iss = iss;
      if (noCallback) return { status: null, callbackUrl: f.action, params: data };
      const res = await fetch(f.action, { method: 'POST', body: new URLSearchParams(data), redirect: 'manual' });
      await res.text();
      return { status: res.status, callbackUrl: f.action, params: data };
    } else {
      const err = errorPageText(page.text);
      throw new Error(`unexpected page "${pageTitle(page.text)}" at ${redact(page.url)}${err ? `: ${err}` : ''}`);
    }
  }
  throw new Error('too many steps');
}

/**
 * Device flow verification. Returns { approved: boolean, denied: boolean, page }.
 */
export async function device(verificationUri, userCode, options = {}) {
  const { deny = false, login = 'alice', verbose = true } = options;
  const browser = new Browser({ verbose });
  const origin = new URL(verificationUri).origin;
  let code = userCode ?? new URL(verificationUri).searchParams.get('user_code') ?? undefined;
  let page = await browser.request(verificationUri);
  let aborted = false;

  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (page.status >= 300 && page.status < 400 && page.location) {
      const next = new URL(page.location, page.url);
      if (next.origin !== origin) throw new Error(`device flow redirected off the authorization server: ${redact(next.href)}`);
      page = await browser.request(next.href);
      continue;
    }
    const title = pageTitle(page.text);
    if (page.status === 200 && title === 'Sign-in Success') return { approved: true, denied: false, page };
    const forms = parseForms(page.text, page.url);
    const inputForm = forms.find((f) => f.id === 'op.deviceInputForm');
    const confirmForm = forms.find((f) => f.id === 'op.deviceConfirmForm');
    const loginForm = forms.find((f) => field(f, 'prompt')?.value === 'login');
    const consentForm = forms.find((f) => field(f, 'prompt')?.value === 'consent');

    if (inputForm) {
      if (aborted && /interrupted/.test(page.text)) return { approved: false, denied: true, page };
      const problem = /<p class="red">([^<]*)<\/p>/.exec(page.text);
      if (problem) throw new Error(`device verification page says: ${problem[1]}`);
      if (!code) throw new Error('no user code given and none in the verification URI');
      page = await submitForm(browser, inputForm, { user_code: code });
      code = undefined; // a second input page means the code was refused
    } else if (confirmForm) {
      if (deny) {
        aborted = true;
        page = await submitForm(browser, confirmForm, { abort: 'yes', confirm: undefined });
      } else {
        page = await submitForm(browser, confirmForm);
      }
    } else if (loginForm || consentForm) {
      if (deny) {
        aborted = true;
        const abort = /<a href="([^"]*)">\[ Cancel \]<\/a>/.exec(page.text);
        page = await browser.request(abort ? new URL(decodeEntities(abort[1]), page.url).href : `${page.url}/abort`);
      } else {
        page = await submitForm(browser, loginForm ?? consentForm, loginForm ? { login, password: 'any-password' } : {});
      }
    } else if (forms.length === 1 && forms[0].method === 'POST' && /Submitting Callback/.test(title)) {
      // verification_uri_complete answers with an auto-submitting form.
      page = await submitForm(browser, forms[0]);
    } else if (aborted) {
      return { approved: false, denied: true, page };
    } else {
      const err = errorPageText(page.text);
      throw new Error(`unexpected page "${title}" (${page.status}) at ${redact(page.url)}${err ? `: ${err}` : ''}`);
    }
  }
  throw new Error('too many steps');
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), {
    deny: 'bool', login: 'string', state: 'string', iss: 'string', 'drop-iss': 'bool', 'no-callback': 'bool', 'show-code': 'bool', quiet: 'bool',
  });
  const [cmd, ...rest] = args._;
  try {
    if (cmd === 'authorize' && rest.length === 1) {
      const r = await authorize(rest[0], {
        deny: args.deny, login: args.login, state: args.state, iss: args.iss, dropIss: args['drop-iss'], noCallback: args['no-callback'], verbose: !args.quiet,
      });
      const shown = new URL(r.callbackUrl);
      // --show-code: the address bar as the person sees it, code and all,
      // for the `mcpcred login --paste` test to paste back (a pipe only).
      if (shown.searchParams.has('code') && !args['show-code']) shown.searchParams.set('code', 'REDACTED');
      console.log(r.status === null ? `redirect ${shown.href}` : `callback ${r.status} ${shown.href}`);
      process.exit(0);
    } else if (cmd === 'device' && (rest.length === 1 || rest.length === 2)) {
      const r = await device(rest[0], rest[1], { deny: args.deny, login: args.login, verbose: !args.quiet });
      console.log(r.approved ? 'device approved' : 'device denied');
      process.exit(0);
    } else {
      process.stderr.write('usage: browser.mjs authorize URL [--deny] | device URI [USER_CODE] [--deny]\n');
      process.exit(2);
    }
  } catch (err) {
    process.stderr.write(`browser: ${err.message}\n`);
    process.exit(1);
  }
}
