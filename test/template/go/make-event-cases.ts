// Builds test/template/cases/event-cases.json: a deterministic sample of the real events
// (normalised as the router sees them, with synthetic enrichment on some) and the table of
// templates rendered over each. Run once; tools/template-goldens.sh renders the Go goldens.
//   node --import tsx test/template/go/make-event-cases.ts
import { writeFileSync } from 'node:fs';
import { normalizeEvent } from '../../../src/event/normalize.ts';
import { EVENT_TEMPLATES } from './event-templates.ts';
import { realEventLines } from '../../support/real-events.ts';

const OUT = new URL('../cases/event-cases.json', import.meta.url);

const lines = realEventLines();
const picked = new Set<number>();
lines.forEach((line, i) => {
  const e = JSON.parse(line) as Record<string, unknown>;
  const special =
    'series' in e ||
    'regarding' in e ||
    !('involvedObject' in e) ||
    !('reason' in e) ||
    /[<>&]/.test(String(e['message'] ?? ''));
  if (i % 29 === 0 || (special && picked.size < 60)) picked.add(i);
});

const events = [...picked]
  .sort((a, b) => a - b)
  .map((i, n) => {
    const event = normalizeEvent(JSON.parse(lines[i] as string));
    const name = event.involvedObject.name ?? 'obj';
    const object =
      n % 3 === 0
        ? {
            labels: {
              app: name.split('-')[0] ?? name,
              'app.kubernetes.io/name': name,
              tier: '<backend & co>',
            },
            annotations: n % 2 === 0 ? { 'note/owner': 'team-a' } : {},
            ownerReferences:
              n % 6 === 0
                ? [
                    {
                      apiVersion: 'apps/v1',
                      kind: 'ReplicaSet',
                      name: `${name}-rs`,
                      uid: 'u-1',
                      controller: true,
                    },
                  ]
                : [],
            deleted: n % 9 === 0,
            owner: { kind: 'Deployment', name: `${name}-deploy` },
          }
        : null;
    return {
      line: i,
      event,
      object,
      clusterName: n % 2 === 0 ? 'prod-eu' : '',
      occurrence: (n % 4) + 1,
      environment: { env: 'prod', region: 'eu-1' },
    };
  });

writeFileSync(OUT, JSON.stringify({ templates: EVENT_TEMPLATES, events }, null, 1) + '\n');
console.log(`${events.length} events x ${EVENT_TEMPLATES.length} templates`);
