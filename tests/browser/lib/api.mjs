// Setting up through the JSON API (the journeys under test use the pages): calls with an
// optional bearer token and JSON body, and an assertion on the status.
import assert from 'node:assert/strict';

/** A client for the server at `baseUrl()` (a function: the server starts in a before() hook). */
export function apiClient(baseUrl) {
  async function api(method, path, { token, body } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(baseUrl() + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON; the assertion shows the text
    }
    return { status: res.status, json, text };
  }

  async function expectApi(status, method, path, options) {
    const res = await api(method, path, options);
    assert.equal(res.status, status, `${method} ${path} answered ${res.status}: ${res.text}`);
    return res.json;
  }

  async function signInApi(login, password) {
    return (await expectApi(201, 'POST', '/api/v1/sessions', { body: { login, password } })).token;
  }

  return { api, expectApi, signInApi };
}
