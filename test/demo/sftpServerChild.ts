import { text } from 'node:stream/consumers';
import { startSftpServer } from '../../src/demo/sftpServer.js';

/**
 * The demo SFTP server in a process of its own, so that a test running as root can run it as an
 * unprivileged user, as the desktop user runs it. Reads its options as JSON on stdin, prints its port,
 * and stops on SIGTERM.
 */
const options = JSON.parse(await text(process.stdin)) as { root: string; username: string; password: string; hostKey: string };
const server = await startSftpServer(options);
process.stdout.write(`port ${server.port}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
