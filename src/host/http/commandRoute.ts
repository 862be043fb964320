import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCommandName } from '../../shared/contract/commands.js';
import { fail } from '../../shared/contract/wire.js';
import type { CoreHost } from '../CoreHost.js';
import { envelopeRefusal } from './apiEnvelope.js';
import { readJsonBody } from './jsonBody.js';
import { badRequest, sendWire } from './responses.js';

/**
 * `POST /api/<command>`: the JSON body is the command's input, the answer its `Wire`, with status 200
 * whether the command succeeded or not. Checking the input is the core's; this checks only the envelope.
 */
export async function answerCommand(req: IncomingMessage, res: ServerResponse, core: CoreHost, name: string): Promise<void> {
  const refusal = envelopeRefusal(req, 'application/json');
  if (refusal !== undefined) {
    sendWire(res, refusal.status, refusal.wire, refusal.headers);
    return;
  }
  if (!isCommandName(name)) {
    sendWire(res, 404, fail({ kind: 'unknownCommand', message: `Ferry has no command ${JSON.stringify(name)}`, retryable: false }));
    return;
  }
  const body = await readJsonBody(req);
  switch (body.kind) {
    case 'aborted':
      return;
    case 'tooLarge':
      sendWire(res, 413, badRequest('The request is larger than Ferry takes for a command'));
      return;
    case 'invalid':
      sendWire(res, 400, badRequest('The request body is not JSON'));
      return;
    case 'json':
      sendWire(res, 200, await core.invoke(name, body.value));
  }
}
