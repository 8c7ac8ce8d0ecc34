// Minimal host for SCIMMY (npm `scimmy` + `scimmy-routers` + `express`), a SCIM 2.0 library
// written by others, used as a third-party target by scim-conformance's own tests.
//
// Written from the packages' READMEs and https://scimmyjs.github.io: SCIMMY does the SCIM work
// (schemas, attribute coercion, filters' parsing and matching, PATCH, sort, paging, bulk,
// projection, discovery, errors); this file only supplies what the library asks its host for:
// an in-memory store behind the ingress/egress/degress handlers, bearer-token auth, a listener.
//
// Usage: node server.js --port PORT --token TOKEN   (SCIM base URL: http://127.0.0.1:PORT/scim/v2)

import {randomUUID} from "node:crypto";
import {parseArgs} from "node:util";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const {values: args} = parseArgs({options: {port: {type: "string"}, token: {type: "string"}}});
if (!args.port || !args.token) {
    console.error("usage: node server.js --port PORT --token TOKEN");
    process.exit(2);
}

const notFound = (id) => new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);

/** One in-memory table per resource type, keyed by id; the handlers SCIMMY asks for.
 *  uniqueAttribute: the attribute whose value is unique across the table (null: none). */
function memoryStore(uniqueAttribute) {
    const rows = new Map();
    const plain = (value) => JSON.parse(JSON.stringify(value));
    // Same attributes and values, whatever the key order; id and meta are the host's own.
    const sorted = (key, value) => (value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
        : value);
    const canonical = ({id, meta, ...data}) => JSON.stringify(data, sorted);
    return {
        rows,
        // egress: the one resource asked for, or every resource the parsed filter matches.
        egress(resource) {
            if (resource.id) {
                if (!rows.has(resource.id)) throw notFound(resource.id);
                return rows.get(resource.id);
            }
            const all = [...rows.values()];
            return resource.filter ? resource.filter.match(all) : all;
        },
        // ingress: create (no id) or replace (id) with the instance SCIMMY validated.
        ingress(resource, instance) {
            const existing = resource.id ? rows.get(resource.id) : undefined;
            if (resource.id && !existing) throw notFound(resource.id);
            // RFC 7643 §4.1.1: userName is unique across the service provider (caseExact false).
            const key = uniqueAttribute && String(instance[uniqueAttribute]).toLowerCase();
            for (const row of uniqueAttribute ? rows.values() : []) {
                if (row.id !== resource.id && String(row[uniqueAttribute]).toLowerCase() === key)
                    throw new SCIMMY.Types.Error(409, "uniqueness", `${uniqueAttribute} is already taken`);
            }
            // meta is the host's to keep: lastModified moves only when the data changed
            // (SCIMMY hands a PATCH's result to ingress even when the operations changed nothing).
            const data = plain(instance);
            const now = new Date().toISOString();
            const unchanged = existing && canonical(existing) === canonical(data);
            const row = {
                ...data,
                id: existing?.id ?? randomUUID(),
                meta: {
                    created: existing?.meta.created ?? now,
                    lastModified: unchanged ? existing.meta.lastModified : now,
                },
            };
            rows.set(row.id, row);
            return row;
        },
        // degress: remove the resource.
        degress(resource) {
            if (!rows.delete(resource.id)) throw notFound(resource.id);
        },
    };
}

const users = memoryStore("userName");
const groups = memoryStore(null);

SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress((resource, instance) => users.ingress(resource, instance))
    .egress((resource) => users.egress(resource))
    .degress((resource) => users.degress(resource));

SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress((resource, instance) => groups.ingress(resource, instance))
    .egress((resource) => groups.egress(resource))
    .degress((resource) => groups.degress(resource));

const app = express();
app.use("/scim/v2", new SCIMMYRouters({
    type: "bearer",
    handler: (request) => {
        if (request.header("Authorization") !== `Bearer ${args.token}`) throw new Error("Invalid bearer token");
        return "conformance-client";
    },
    // Absolute meta.location values, as a deployment behind its real origin would give.
    baseUri: (request) => `${request.protocol}://${request.get("host")}`,
}));

app.listen(Number(args.port), "127.0.0.1", () => console.log(`SCIMMY listening on 127.0.0.1:${args.port}`));
