/**
 * OVHcloud API v1 error bodies: `{"class": "Client::NotFound", "message": "..."}` for the API's own
 * refusals, and `{"errorCode", "httpCode", "message"}` for the gateway's authentication refusals
 * (INVALID_KEY, INVALID_CREDENTIAL, INVALID_SIGNATURE, QUERY_TIME_OUT).
 */
import type { EmuResponse } from '../engine/index.js';

const CLASSES: Record<number, string> = {
  400: 'Client::BadRequest',
  401: 'Client::Unauthorized',
  403: 'Client::Forbidden',
  404: 'Client::NotFound',
  405: 'Client::MethodNotAllowed',
  409: 'Client::Conflict',
  429: 'Client::TooManyRequests',
  500: 'Server::InternalServerError',
  503: 'Server::ServiceUnavailable',
};

export function ovhError(status: number, message: string, cls?: string): EmuResponse {
  return { status, body: { class: cls ?? CLASSES[status] ?? 'Server::Error', message } };
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' };

/** The gateway's refusals carry an errorCode as well (clients such as python-ovh branch on it). */
export function authError(status: number, errorCode: string, message: string): EmuResponse {
  return { status, body: { errorCode, httpCode: `${status} ${REASONS[status] ?? ''}`.trim(), message, class: CLASSES[status] ?? 'Client::Error' } };
}
