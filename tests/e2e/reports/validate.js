// Validate rampart reports against their JSON Schemas with ajv, as
// ../shared/data/schemas/SOURCE.md sets it up: SARIF 2.1.0 (errata01,
// draft-04, ajv-draft-04), OSCAL assessment-results (draft-07) and our own
// docs/report.schema.json (draft-07).
// usage: NODE_PATH=tests/node/node_modules node validate.js KIND SCHEMA FILE...
//   KIND: sarif | oscal | json
"use strict";
const fs = require("fs");
const addFormats = require("ajv-formats").default;

const [kind, schemaFile, ...files] = process.argv.slice(2);
if (!kind || !schemaFile || files.length === 0) {
	console.error("usage: validate.js sarif|oscal|json SCHEMA FILE...");
	process.exit(2);
}
const Ajv = kind === "sarif" ? require("ajv-draft-04").default
			     : require("ajv").default;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
let bad = 0;
for (const f of files) {
	const doc = JSON.parse(fs.readFileSync(f, "utf8"));
	if (validate(doc)) {
		console.log(`${f}: valid (${kind})`);
		continue;
	}
	bad++;
	console.error(`${f}: INVALID (${kind})`);
	for (const e of validate.errors.slice(0, 20))
		console.error(`  ${e.instancePath || "/"} ${e.message} ` +
		    JSON.stringify(e.params));
}
process.exit(bad ? 1 : 0);
