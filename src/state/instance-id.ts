import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A new id for this instance: host, process and a random part (two instances never share one). */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
