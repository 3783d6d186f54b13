/**
 * data/case/case.jsonld: the bundle described in CASE/UCO 1.x (caseontology.org), so tools that
 * read CASE (NetworkMiner, Autopsy users' tooling) can follow it. Files, the captures and every
 * bundle file, are uco-observable:File with a ContentDataFacet holding SHA-256 uco-types:Hash
 * entries; import, analysis and export are case-investigation:InvestigativeAction with performer,
 * instrument (Flowcase and its version), object, result and time; the annotations are
 * uco-core:Annotation; a case-investigation:ProvenanceRecord groups what the bundle delivers.
 */
import { randomUUID } from 'node:crypto';

export const CASE_CONTEXT = {
  'case-investigation': 'https://ontology.caseontology.org/case/investigation/',
  'uco-action': 'https://ontology.unifiedcyberontology.org/uco/action/',
  'uco-core': 'https://ontology.unifiedcyberontology.org/uco/core/',
  'uco-identity': 'https://ontology.unifiedcyberontology.org/uco/identity/',
  'uco-observable': 'https://ontology.unifiedcyberontology.org/uco/observable/',
  'uco-tool': 'https://ontology.unifiedcyberontology.org/uco/tool/',
  'uco-types': 'https://ontology.unifiedcyberontology.org/uco/types/',
  'uco-vocabulary': 'https://ontology.unifiedcyberontology.org/uco/vocabulary/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  kb: 'http://example.org/kb/',
};

export interface JsonldFile { id: string; name: string; path?: string; size: number; sha256: string }
export interface JsonldAction { name: string; description: string; at: string; objects: string[]; results: string[] }
export interface JsonldAnnotation { id: number; text: string; tags: string[]; author: string; at: string; objects: string[] }

export interface CaseGraphInput {
  caseName: string;
  analyst: string;
  appVersion: string;
  captures: JsonldFile[];
  files: JsonldFile[];
  actions: JsonldAction[];
  annotations: JsonldAnnotation[];
}

const dt = (v: string) => ({ '@type': 'xsd:dateTime', '@value': v });

export function fileNode(f: JsonldFile): Record<string, unknown> {
  const fileFacet: Record<string, unknown> = {
    '@id': `${f.id}-file-facet`, '@type': 'uco-observable:FileFacet',
    'uco-observable:fileName': f.name,
    'uco-observable:sizeInBytes': { '@type': 'xsd:integer', '@value': String(f.size) },
  };
  if (f.path) fileFacet['uco-observable:filePath'] = f.path;
  return {
    '@id': f.id,
    '@type': 'uco-observable:File',
    'uco-core:hasFacet': [
      fileFacet,
      {
        '@id': `${f.id}-content-facet`, '@type': 'uco-observable:ContentDataFacet',
        'uco-observable:sizeInBytes': { '@type': 'xsd:integer', '@value': String(f.size) },
        'uco-observable:hash': [{
          '@id': `${f.id}-sha256`, '@type': 'uco-types:Hash',
          'uco-types:hashMethod': { '@type': 'uco-vocabulary:HashNameVocab', '@value': 'SHA256' },
          'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': f.sha256 },
        }],
      },
    ],
  };
}

export function caseGraph(g: CaseGraphInput): Record<string, unknown> {
  const tool = 'kb:tool-flowcase';
  const analyst = `kb:identity-${randomUUID()}`;
  const graph: Array<Record<string, unknown>> = [
    { '@id': tool, '@type': 'uco-tool:Tool', 'uco-core:name': 'Flowcase', 'uco-tool:toolType': 'Network forensic workbench', 'uco-tool:version': g.appVersion },
    { '@id': analyst, '@type': 'uco-identity:Identity', 'uco-core:name': g.analyst },
    { '@id': `kb:investigation-${randomUUID()}`, '@type': 'case-investigation:Investigation', 'uco-core:name': g.caseName,
      'uco-core:object': [...g.captures, ...g.files].map((f) => ({ '@id': f.id })) },
    ...g.captures.map(fileNode),
    ...g.files.map(fileNode),
  ];
  for (const a of g.actions) {
    graph.push({
      '@id': `kb:action-${randomUUID()}`, '@type': 'case-investigation:InvestigativeAction',
      'uco-core:name': a.name, 'uco-core:description': a.description,
      'uco-action:performer': { '@id': analyst }, 'uco-action:instrument': { '@id': tool },
      'uco-action:startTime': dt(a.at), 'uco-action:endTime': dt(a.at),
      'uco-action:object': a.objects.map((id) => ({ '@id': id })), 'uco-action:result': a.results.map((id) => ({ '@id': id })),
    });
  }
  for (const n of g.annotations) {
    graph.push({
      '@id': `kb:annotation-${n.id}-${randomUUID()}`, '@type': 'uco-core:Annotation',
      'uco-core:statement': [n.text], 'uco-core:tag': n.tags, 'uco-core:createdBy': { '@id': analyst },
      'uco-core:objectCreatedTime': dt(n.at), 'uco-core:description': `annotation #${n.id} by ${n.author}`,
      'uco-core:object': n.objects.map((id) => ({ '@id': id })),
    });
  }
  graph.push({
    '@id': `kb:provenance-${randomUUID()}`, '@type': 'case-investigation:ProvenanceRecord',
    'case-investigation:exhibitNumber': g.caseName,
    'uco-core:object': g.files.map((f) => ({ '@id': f.id })),
  });
  return { '@context': CASE_CONTEXT, '@graph': graph };
}
