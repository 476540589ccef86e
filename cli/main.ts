/** `slipway`: the entry point (bin/slipway.mjs loads it through tsx). */
import { EXIT } from './exit-codes';
import { runCli } from './program';

const code = await runCli(process.argv.slice(2));
if (code === EXIT.interrupted) {
  // Interrupted: end by SIGINT itself, so a shell running a list or a loop of commands stops too (exit status 130).
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
} else process.exitCode = code;
