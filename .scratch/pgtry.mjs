// test/helpers/postgres.ts
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
var CANDIDATE_BINDIRS = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];
function postgresBinDir() {
  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv && fs.existsSync(path.join(fromEnv, "initdb"))) return fromEnv;
  const found = CANDIDATE_BINDIRS.find((d) => fs.existsSync(path.join(d, "initdb")));
  if (!found) throw new Error('PostgreSQL server binaries not found: install the Debian "postgresql" package (scripts/install-test-deps.sh)');
  return found;
}
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
function runAs(bin, args) {
  const isRoot = process.getuid?.() === 0;
  const res = isRoot ? spawnSync("runuser", ["-u", "postgres", "--", bin, ...args], { encoding: "utf8" }) : spawnSync(bin, args, { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`${path.basename(bin)} failed (${res.status}): ${res.stderr || res.stdout}`);
}
async function startPostgres(options = {}) {
  const bin = postgresBinDir();
  const isRoot = process.getuid?.() === 0;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "calldesk-pg-"));
  const dataDir = path.join(base, "data");
  if (isRoot) execFileSync("chown", ["postgres:postgres", base]);
  runAs(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const durable = options.durable ?? false;
  const settings = [
    `-k ${base}`,
    `-p ${port}`,
    `-c listen_addresses=127.0.0.1`,
    `-c max_connections=${options.maxConnections ?? 200}`,
    `-c shared_buffers=128MB`,
    ...durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
  ].join(" ");
  runAs(path.join(bin, "pg_ctl"), ["-D", dataDir, "-o", settings, "-l", path.join(base, "server.log"), "-w", "-t", "30", "start"]);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let counter = 0;
  let stopped = false;
  return {
    adminUrl,
    port,
    dataDir,
    async createDatabase(name) {
      const db = name ?? `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${db}" TEMPLATE template0 ENCODING 'UTF8'`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAs(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    }
  };
}

// ../../tmp/pgtry.ts
import pg2 from "pg";
var t0 = Date.now();
var p = await startPostgres();
console.log("started", Date.now() - t0);
var url = await p.createDatabase();
var c = new pg2.Client({ connectionString: url });
await c.connect();
console.log((await c.query("select version()")).rows[0]);
await c.end();
await p.stop();
console.log("total", Date.now() - t0);
