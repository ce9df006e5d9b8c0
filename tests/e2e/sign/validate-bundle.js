// Validate Sigstore bundles against the official (protobuf-specs v0.5.0)
// Bundle.schema.json, with the in-memory fix that
// ../shared/data/schemas/SOURCE.md describes: drop "additionalProperties"
// beside "$ref", and turn snake_case names in "required" into lowerCamel.
// usage: NODE_PATH=tests/node/node_modules node validate-bundle.js SCHEMA BUNDLE...
"use strict";
const fs = require("fs");
const Ajv = require("ajv-draft-04").default;
const addFormats = require("ajv-formats").default;

function fix(node) {
	if (Array.isArray(node)) {
		node.forEach(fix);
		return;
	}
	if (node === null || typeof node !== "object")
		return;
	if ("$ref" in node)
		delete node.additionalProperties;
	if (Array.isArray(node.required))
		node.required = node.required.map((s) =>
			s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()));
	Object.values(node).forEach(fix);
}

const [schemaFile, ...bundles] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
fix(schema);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("binary", true);
const validate = ajv.compile(schema);
let bad = 0;
for (const f of bundles) {
	const b = JSON.parse(fs.readFileSync(f, "utf8"));
	if (!validate(b)) {
		console.error(`${f}: INVALID ${JSON.stringify(validate.errors)}`);
		bad++;
		continue;
	}
	// What the schema cannot say (SOURCE.md "Limits of the schema").
	const sigs = b.dsseEnvelope && b.dsseEnvelope.signatures;
	if (b.mediaType !== "application/vnd.dev.sigstore.bundle.v0.3+json" ||
	    !Array.isArray(sigs) || sigs.length !== 1 ||
	    !b.dsseEnvelope.payload || !b.dsseEnvelope.payloadType) {
		console.error(`${f}: INVALID: v0.3 rules (mediaType, one signature)`);
		bad++;
		continue;
	}
	console.log(`${f}: valid`);
}
process.exit(bad ? 1 : 0);
