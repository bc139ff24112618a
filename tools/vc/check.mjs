// Verifies Open Badges 3.0 credentials with Digital Bazaar's implementation
// of VC 2.0 and Data Integrity (eddsa-rdfc-2022), independent of certibloc's,
// and validates them against the OB 3.0 JSON Schema with ajv.
//
// Input (stdin), JSON:
//   {"contexts": {URL: FILE}, "documents": {URL: DOCUMENT}, "schema": FILE,
//    "now": "2026-12-01T00:00:00Z", "credentials": [{"name": N, "credential": {...}}]}
// contexts are the only JSON-LD contexts served; documents are the DID
// documents and status list credentials certibloc serves (fetched by the
// caller from certibloc itself). Nothing else is loaded: no network.
// Output (stdout), JSON: [{"name", "verified", "error", "schema", "schema_errors"}].
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const input = JSON.parse(readFileSync(0, 'utf8'));
const contexts = Object.fromEntries(
  Object.entries(input.contexts).map(([url, file]) => [url, JSON.parse(readFileSync(file, 'utf8'))]));
const documents = input.documents || {};

// documentLoader serves cached contexts, the given DID documents and status
// lists, and the verification methods inside those DID documents.
async function documentLoader(url) {
  if (contexts[url]) {
    return {contextUrl: null, documentUrl: url, document: contexts[url]};
  }
  if (documents[url]) {
    return {contextUrl: null, documentUrl: url, document: documents[url]};
  }
  const [base, fragment] = url.split('#');
  if (fragment && documents[base]) {
    const vm = (documents[base].verificationMethod || []).find(m => m.id === url);
    if (vm) {
      return {contextUrl: null, documentUrl: url,
        document: {'@context': 'https://w3id.org/security/multikey/v1', ...vm}};
    }
  }
  throw new Error(`not served (no network): ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
const now = input.now ? new Date(input.now) : new Date();

// checkStatus reads a BitstringStatusListEntry from its list, which must
// verify too.
async function checkStatus({credential}) {
  const entry = credential.credentialStatus;
  const {document: list} = await documentLoader(entry.statusListCredential);
  const listResult = await vc.verifyCredential({credential: list, suite, documentLoader, now});
  if (!listResult.verified) {
    return {verified: false, error: new Error('the status list does not verify')};
  }
  const encoded = list.credentialSubject.encodedList;
  if (!encoded.startsWith('u')) {
    return {verified: false, error: new Error('the encoded list is not multibase base64url')};
  }
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const i = Number(entry.statusListIndex);
  const revoked = (bits[Math.floor(i / 8)] & (0x80 >> (i % 8))) !== 0;
  return revoked ? {verified: false, error: new Error('revoked')} : {verified: true};
}

const ajv = new Ajv2019({strict: false, allErrors: true});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(input.schema, 'utf8')));

const out = [];
for (const {name, credential} of input.credentials) {
  let verified = false;
  let error = '';
  try {
    const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus, now});
    verified = result.verified;
    if (!verified) {
      const errs = [result.error, ...(result.results || []).map(r => r.error), result.statusResult?.error]
        .filter(Boolean).map(e => e.message + (e.errors ? ': ' + e.errors.map(x => x.message).join('; ') : ''));
      error = errs.join(' | ') || 'not verified';
    }
  } catch (e) {
    error = e.message;
  }
  const schema = validate(credential);
  out.push({name, verified, error, schema,
    schema_errors: schema ? [] : validate.errors.map(e => `${e.instancePath} ${e.message}`)});
}
process.stdout.write(JSON.stringify(out));
