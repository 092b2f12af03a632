// Registered with --import: prints the URL of every module loaded from node_modules to stderr
// (`LOADED <url>`), so a test can see which packages a command pulled in.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function load(url, context, next) {' +
        " if (url.includes('/node_modules/')) process.stderr.write('LOADED ' + url + '\\n');" +
        ' return next(url, context); }',
    ),
);
