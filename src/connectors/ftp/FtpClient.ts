import { Client, type FTPResponse, type ResponseHandler } from 'basic-ftp';

/**
 * basic-ftp's Client, remembering the last positive reply the server sent. basic-ftp's `list()`
 * drops the closing reply of a listing, and that reply is the only place where pure-ftpd says it cut
 * the listing short ("226 Output truncated to 10000 matches").
 */
export class FtpClient extends Client {
  #lastReply: FTPResponse | undefined;

  constructor(timeoutMs: number) {
    super(timeoutMs);
    const ftp = this.ftp;
    const handle = ftp.handle.bind(ftp);
    ftp.handle = (command: string | undefined, responseHandler: ResponseHandler): Promise<unknown> =>
      handle(command, (res, task) => {
        if (!(res instanceof Error)) this.#lastReply = res;
        responseHandler(res, task);
      });
  }

  /** The last non-error reply, e.g. the 226 that closed the latest transfer. */
  get lastReply(): FTPResponse | undefined {
    return this.#lastReply;
  }
}
