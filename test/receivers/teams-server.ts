// A local stand-in for a Teams Workflows webhook on 127.0.0.1: POST
// /workflows/<id>/triggers/manual/paths/invoke?api-version=...&sig=<signature>, answered as
// Power Automate does: 202 Accepted with an empty body, or a status with `{"error":{code,message}}`.
import { startHttpConformanceServer } from './conformance/harness.ts';
import type { HttpAnswer, HttpConformanceServer, HttpRequestSeen } from './conformance/harness.ts';

export const TEAMS_SIG = 'wfSig-0123456789abcdefSECRET';
export const TEAMS_PATH = '/workflows/4f1c2e/triggers/manual/paths/invoke';

export function teamsUrl(server: HttpConformanceServer, sig = '${TEAMS_SIG}'): string {
  return `${server.origin}${TEAMS_PATH}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`;
}

export const accepted: HttpAnswer = { status: 202, body: '' };

/** An error as Power Automate answers it. */
export function flowError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify({ error: { code, message } }),
  };
}

export function teamsRequest(req: HttpRequestSeen): Record<string, unknown> {
  return {
    path: req.url.split('?')[0],
    contentType: req.headers['content-type'],
    body: JSON.parse(req.body) as unknown,
  };
}

export function startTeamsServer(): Promise<HttpConformanceServer> {
  return startHttpConformanceServer((req) => [teamsRequest(req)], accepted);
}
