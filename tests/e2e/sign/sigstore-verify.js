// Verify a rampart bundle with Sigstore's own JavaScript verifier
// (@sigstore/verify), trusting one public key by its id (the bundle's hint),
// with no transparency log and no certificate authority.  It checks the
// DSSE signature over the PAE; the subject digest is a policy matter and is
// checked here too.  Optionally trusts a TSA chain (PEM files) and then
// requires the RFC 3161 timestamp.
// usage: NODE_PATH=tests/node/node_modules node sigstore-verify.js BUNDLE PUB REPORT [TSA_CHAIN_PEM...]
"use strict";
const fs = require("fs");
const crypto = require("crypto");
const { bundleFromJSON } = require("@sigstore/bundle");
const { Verifier, toSignedEntity, toTrustMaterial } = require("@sigstore/verify");

const [bundleFile, pubFile, reportFile, ...tsaPems] = process.argv.slice(2);
const json = JSON.parse(fs.readFileSync(bundleFile, "utf8"));
const bundle = bundleFromJSON(json);
const pub = crypto.createPublicKey(fs.readFileSync(pubFile, "utf8"));
const der = pub.export({ type: "spki", format: "der" });
const keyid = crypto.createHash("sha256").update(der).digest("hex");

function certsOf(pem) {
	return (pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) || [])
		.map((c) => ({ rawBytes: new crypto.X509Certificate(c).raw }));
}
const tsas = tsaPems.length === 0 ? [] : [{
	subject: { organization: "", commonName: "test tsa" },
	uri: "",
	certChain: { certificates: tsaPems.flatMap((f) => certsOf(fs.readFileSync(f, "utf8"))) },
	validFor: { start: new Date(0) },
}];
const trust = toTrustMaterial(
	{ mediaType: "", tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: tsas },
	{ [keyid]: { rawBytes: der, keyDetails: 0, validFor: { start: new Date(0) } } });
const verifier = new Verifier(trust, {
	tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: tsas.length ? 1 : 0,
});
try {
	verifier.verify(toSignedEntity(bundle));
	const st = JSON.parse(Buffer.from(json.dsseEnvelope.payload, "base64").toString("utf8"));
	const digest = crypto.createHash("sha256").update(fs.readFileSync(reportFile)).digest("hex");
	if (st.subject.length !== 1 || st.subject[0].digest.sha256 !== digest)
		throw new Error("subject digest does not match the report");
	console.log(`${bundleFile}: verified by @sigstore/verify (key ${keyid})`);
} catch (e) {
	console.error(`${bundleFile}: ${e.code || ""} ${e.message}`);
	process.exit(1);
}
