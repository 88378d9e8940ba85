#!/usr/bin/env node
// validate.js: check one HTTP answer against static/openapi.json.
//
//   node tests/api/validate.js [--headers FILE] METHOD PATH STATUS BODYFILE [CONTENT-TYPE]
//
// PATH is the concrete path that was requested (a query is ignored); it is
// matched against the documented paths ({param} = one segment). The status
// must be documented for that operation (no "default" or "4XX" stands in),
// the content type must be one the response documents (taken from the
// headers file when not given; parameters such as charset are ignored), and
// the body must validate against its schema (JSON Schema 2020-12, ajv with
// formats). A response documented without content must have an empty body.
// A problem document must repeat the HTTP status. With --headers (a file of
// "Name: value" lines, as curl -D writes them) the headers the response
// marks required must be present and valid too.
//
// Exit 0 when the answer conforms; otherwise prints why and exits 1 (2 for
// a usage error). OPENAPI=file overrides the document.
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

function usage(msg) {
	if (msg) console.error(`validate.js: ${msg}`);
	console.error('usage: validate.js [--headers FILE] METHOD PATH STATUS BODYFILE [CONTENT-TYPE]');
	process.exit(2);
}

function fail(lines) {
	for (const l of [].concat(lines)) console.log(l);
	process.exit(1);
}

// Every "#/components/schemas/X" becomes "#/$defs/X", so each response
// schema compiles as one document carrying all shared schemas.
function rewriteRefs(node) {
	if (Array.isArray(node)) return node.map(rewriteRefs);
	if (node === null || typeof node !== 'object') return node;
	const out = {};
	for (const [k, v] of Object.entries(node)) {
		if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/'))
			out[k] = '#/$defs/' + v.slice('#/components/schemas/'.length);
		else out[k] = rewriteRefs(v);
	}
	return out;
}

// Resolve a "#/components/..." reference of the document (responses, headers).
function deref(doc, node) {
	const seen = new Set();
	while (node && typeof node.$ref === 'string') {
		if (seen.has(node.$ref)) throw new Error(`reference loop at ${node.$ref}`);
		seen.add(node.$ref);
		node = node.$ref
			.slice(2)
			.split('/')
			.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
			.reduce((o, k) => (o == null ? undefined : o[k]), doc);
		if (node === undefined) throw new Error(`dangling reference`);
	}
	return node;
}

function matchPath(doc, concrete) {
	const segs = concrete.split('/');
	let best = null;
	for (const [tmpl, item] of Object.entries(doc.paths || {})) {
		const t = tmpl.split('/');
		if (t.length !== segs.length) continue;
		let literal = 0;
		const ok = t.every((p, i) => {
			if (/^\{[^}]+\}$/.test(p)) return segs[i].length > 0;
			literal++;
			return p === segs[i];
		});
		// a literal segment beats a parameter (/me/tokens over /me/{x})
		if (ok && (best === null || literal > best.literal)) best = { tmpl, item, literal };
	}
	return best;
}

function readHeaders(file) {
	const h = {};
	let text = fs.readFileSync(file, 'latin1').replace(/\r/g, '');
	// curl -D of a redirected or 100-continue exchange holds several blocks: keep the last
	const blocks = text.split(/\n\n+/).filter((b) => /^HTTP\//.test(b));
	if (blocks.length) text = blocks[blocks.length - 1];
	for (const line of text.split('\n')) {
		const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
		if (m) {
			const k = m[1].toLowerCase();
			h[k] = h[k] === undefined ? m[2] : `${h[k]}, ${m[2]}`;
		}
	}
	return h;
}

function errorLines(errors) {
	return errors.map((e) => {
		const extra = e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : '';
		return `  ${e.instancePath || '(root)'} ${e.message}${extra} [${e.schemaPath}]`;
	});
}

function main(argv) {
	let headersFile = null;
	const args = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--headers') headersFile = argv[++i];
		else args.push(argv[i]);
	}
	if (args.length < 4 || args.length > 5 || (headersFile === null && argv.includes('--headers')))
		usage();
	const [methodArg, pathArg, statusArg, bodyFile] = args;
	let ctype = args[4];
	const method = methodArg.toLowerCase();
	const status = String(statusArg);
	const where = `${methodArg.toUpperCase()} ${pathArg} -> ${status}`;
	if (!/^[1-5][0-9][0-9]$/.test(status)) usage(`bad status ${status}`);

	const docFile = process.env.OPENAPI || path.join(__dirname, '..', '..', 'static', 'openapi.json');
	const doc = JSON.parse(fs.readFileSync(docFile, 'utf8'));
	const headers = headersFile ? readHeaders(headersFile) : {};
	if (ctype === undefined && headers['content-type'] !== undefined) ctype = headers['content-type'];

	const concrete = pathArg.split('?')[0];
	const found = matchPath(doc, concrete);
	if (!found) fail(`${where}: path not documented`);
	const operation = found.item[method];
	if (!operation) fail(`${where}: ${methodArg.toUpperCase()} ${found.tmpl} not documented`);
	const opName = operation.operationId || `${method} ${found.tmpl}`;
	const responses = operation.responses || {};
	if (!(status in responses))
		fail(`${where}: status ${status} not documented for ${opName} ` +
			`(documented: ${Object.keys(responses).join(', ')})`);
	const response = deref(doc, responses[status]);
	const body = fs.readFileSync(bodyFile);
	const problems = [];

	const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
	addFormats(ajv);
	const defs = rewriteRefs((doc.components && doc.components.schemas) || {});
	const compile = (schema) => ajv.compile({ $defs: defs, ...rewriteRefs(schema) });

	for (const [name, hdr0] of Object.entries(response.headers || {})) {
		const hdr = deref(doc, hdr0);
		if (!headersFile) break;
		const v = headers[name.toLowerCase()];
		if (v === undefined) {
			if (hdr.required) problems.push(`  header ${name} is required`);
			continue;
		}
		if (hdr.schema) {
			const value = hdr.schema.type === 'integer' && /^[0-9]+$/.test(v) ? Number(v) : v;
			const check = compile(hdr.schema);
			if (!check(value))
				problems.push(`  header ${name}: ${JSON.stringify(v)}`, ...errorLines(check.errors));
		}
	}

	const content = response.content || {};
	const types = Object.keys(content);
	if (types.length === 0) {
		if (body.length !== 0) problems.push(`  expected no body, got ${body.length} bytes`);
	} else {
		const mt = (ctype || '').split(';')[0].trim().toLowerCase();
		if (!mt) problems.push(`  no content type given (documented: ${types.join(', ')})`);
		else if (!(mt in content))
			problems.push(`  content type ${mt} not documented (documented: ${types.join(', ')})`);
		else {
			const schema = content[mt].schema || {};
			let value;
			let ok = true;
			if (mt === 'application/json' || mt.endsWith('+json')) {
				try {
					value = JSON.parse(body.toString('utf8'));
				} catch (e) {
					problems.push(`  body is not JSON: ${e.message}`);
					ok = false;
				}
			} else {
				value = body.toString('utf8');
			}
			if (ok) {
				const check = compile(schema);
				if (!check(value)) problems.push(...errorLines(check.errors));
				if (mt === 'application/problem+json' && value && String(value.status) !== status)
					problems.push(`  problem status ${value.status} is not the HTTP status ${status}`);
			}
		}
	}
	if (problems.length) {
		const excerpt = body.toString('utf8').slice(0, 600);
		fail([`${where}: does not match ${opName}`, ...problems, `  body: ${excerpt}`]);
	}
	console.log(`${where}: ok (${opName})`);
}

try {
	main(process.argv.slice(2));
} catch (e) {
	console.log(`validate.js: ${e.message}`);
	process.exit(1);
}
