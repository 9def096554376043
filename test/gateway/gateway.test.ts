import { expect } from "chai";
import { ZeroAddress, type HDNodeWallet } from "ethers";

import { GatewayRequestError, GatewayResponseUnverifiedError, type GatewayClient } from "../../sdk/src/gateway/client";
import { AccessReason, purposeCode, Sensitivity, SharingCategory } from "../../sdk/src/utils/datasharing";
import { DEMO_PURPOSES, type DemoWorld } from "../../gateway/src/dev/demo";
import type { RunningNode } from "../../gateway/src/dev/hardhatNode";
import type { Database } from "../../gateway/src/db/database";
import { openPGlite } from "../../gateway/src/db/pglite";
import { openPostgres } from "../../gateway/src/db/postgres";
import { receiptsOfSubject, upsertRecords } from "../../gateway/src/db/store";
import type { GatewayInstance } from "../../gateway/src/server";
import {
  civilAffairsGateway,
  connect,
  demoChain,
  devKey,
  healthClient,
  healthRequester,
  increaseChainTime,
  postRaw,
  rawBody,
} from "../helpers/gateway";
import { postgresBinaries, startPostgres, type RunningPostgres } from "../helpers/postgres";

/**
 * The gateway end to end over real HTTP: a `hardhat node` child process with the demo world, the Civil Affairs
 * Bureau's gateway on a loopback port, the Health Commission asking through the SDK's GatewayClient (or raw HTTP for
 * forged and replayed requests). Every case runs on PGlite and on a PostgreSQL server started for the test.
 */
describe("data-exchange gateway", function () {
  let node: RunningNode;
  let world: DemoWorld;
  let nextCitizen = 30;

  before(async function () {
    ({ node, world } = await demoChain());
  });

  after(async function () {
    await node?.stop();
  });

  const variants: { name: string; open: () => Promise<{ db: Database; pg?: RunningPostgres }> }[] = [
    { name: "on PGlite", open: async () => ({ db: await openPGlite() }) },
    {
      name: "on PostgreSQL",
      open: async () => {
        const pg = await startPostgres();
        return { db: await openPostgres(pg.url, { connectionTimeoutMs: 1_500 }), pg };
      },
    },
  ];

  for (const variant of variants) {
    describe(variant.name, function () {
      let db: Database;
      let pg: RunningPostgres | undefined;
      let app: GatewayInstance;
      let url: string;
      let client: GatewayClient;
      let withdrawable: number;

      before(async function () {
        if (variant.name === "on PostgreSQL" && !postgresBinaries()) {
          console.log("    skipped: PostgreSQL binaries not found under /usr/lib/postgresql (apt install postgresql)");
          this.skip();
        }
        ({ db, pg } = await variant.open());
        const asCivil = await connect(world.rpcUrl, world.manifest, world.civilAffairs.operator);
        ({ datasetId: withdrawable } = await asCivil.dataSharing.publishDataset(world.civilAffairs.id, {
          title: "Old household survey",
          schemaHash: purposeCode("schema:survey:v1"),
          sensitivity: Sensitivity.Public,
          sharing: SharingCategory.Unconditional,
          purposes: [DEMO_PURPOSES.statistics],
        }));
        ({ app, url } = await civilAffairsGateway(world, db, [withdrawable]));
        await upsertRecords(db, [{ datasetId: withdrawable, subject: ZeroAddress, payload: { households: 12 } }]);
        client = await healthClient(world, url);
      });

      after(async function () {
        await app?.close(); // closes the database too
        await pg?.destroy();
      });

      /** A citizen with a household record who consents to the Health Commission (unless told otherwise). */
      async function citizenWithConsent(
        options: { expiresIn?: number; singleUse?: boolean; consent?: boolean } = {},
      ): Promise<HDNodeWallet> {
        const citizen = devKey(nextCitizen++);
        await upsertRecords(db, [
          {
            datasetId: world.datasets.households,
            subject: citizen.address,
            payload: { name: `Citizen ${nextCitizen}` },
          },
        ]);
        if (options.consent === false) return citizen;
        const asCitizen = await connect(world.rpcUrl, world.manifest, citizen);
        await asCitizen.dataSharing.grantConsent({
          requester: healthRequester(world),
          datasetId: world.datasets.households,
          purpose: DEMO_PURPOSES.benefits,
          expiresAt: (await asCitizen.directory.latestTimestamp()) + (options.expiresIn ?? 86_400),
          singleUse: options.singleUse,
        });
        return citizen;
      }

      const household = (citizen: HDNodeWallet) => ({
        dataset: world.datasets.households,
        subject: citizen.address,
        purpose: DEMO_PURPOSES.benefits,
      });

      async function refusal(work: Promise<unknown>): Promise<GatewayRequestError> {
        const error = await work.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, "the request should have been refused").to.be.instanceOf(GatewayRequestError);
        return error as GatewayRequestError;
      }

      it("answers an allowed request with the record, signed, and anchors its receipt on chain", async function () {
        const citizen = await citizenWithConsent();
        const record = await client.get(household(citizen));
        expect(record.record).to.deep.include({ name: `Citizen ${nextCitizen}` });
        expect(record.grantId).to.not.equal("0");

        const journal = await receiptsOfSubject(db, citizen.address);
        expect(journal.map((r) => [r.status, r.recordHash])).to.deep.equal([["pending", record.recordHash]]);
        await app.gateway.submitter.flush();
        const onChain = await (await connect(world.rpcUrl, world.manifest)).dataSharing.receiptsOf(citizen.address);
        expect(onChain.map((r) => [r.recordHash, r.requesterAgencyId])).to.deep.equal([
          [record.recordHash, world.health.id],
        ]);
        const view = (await (await fetch(`${url}/v1/subjects/${citizen.address}/receipts`)).json()) as {
          receipts: { status: string; transactionHash: string }[];
        };
        expect(view.receipts.map((r) => [r.status, r.transactionHash])).to.deep.equal([
          ["submitted", onChain[0].transactionHash],
        ]);
      });

      it("serves an unconditionally shared dataset without consent", async function () {
        const record = await client.get({
          dataset: world.datasets.centres,
          subject: ZeroAddress,
          purpose: DEMO_PURPOSES.statistics,
        });
        expect(record.grantId).to.equal("0");
        expect(record.record).to.have.property("centres");
      });

      it("refuses without consent with 403 NoPermission", async function () {
        const citizen = await citizenWithConsent({ consent: false });
        const error = await refusal(client.get(household(citizen)));
        expect([error.status, error.reason]).to.deep.equal([403, "NoPermission"]);
      });

      it("refuses an expired consent with 403 Expired", async function () {
        const citizen = await citizenWithConsent({ expiresIn: 60 });
        await client.get(household(citizen));
        await increaseChainTime(node.url, 120);
        const error = await refusal(client.get(household(citizen)));
        expect([error.status, error.reason]).to.deep.equal([403, "Expired"]);
      });

      it("refuses from the next block a consent revoked mid-session, keeping the refused receipt", async function () {
        const citizen = await citizenWithConsent();
        const first = await client.get(household(citizen));
        const asCitizen = await connect(world.rpcUrl, world.manifest, citizen);
        await asCitizen.dataSharing.revokeConsent(
          healthRequester(world),
          world.datasets.households,
          DEMO_PURPOSES.benefits,
        );
        const error = await refusal(client.get(household(citizen)));
        expect([error.status, error.reason]).to.deep.equal([403, "Revoked"]);

        // The answer given before the revocation is anchored after it: the registry refuses the receipt, the
        // gateway keeps it and shows it.
        await app.gateway.submitter.flush();
        const journal = await receiptsOfSubject(db, citizen.address);
        expect(journal).to.have.length(1);
        expect(journal[0].recordHash).to.equal(first.recordHash);
        expect(journal[0].status).to.equal("refused");
        expect(journal[0].error).to.equal("AccessDenied: Revoked");
      });

      it("consumes a single-use consent on chain before answering, and refuses it afterwards", async function () {
        const citizen = await citizenWithConsent({ singleUse: true });
        await client.get(household(citizen));
        const [journaled] = await receiptsOfSubject(db, citizen.address);
        expect(journaled.status).to.equal("submitted");
        const error = await refusal(client.get(household(citizen)));
        expect([error.status, error.reason]).to.deep.equal([403, "Consumed"]);
      });

      it("refuses a withdrawn dataset with 403 DatasetWithdrawn", async function () {
        const request = { dataset: withdrawable, subject: ZeroAddress, purpose: DEMO_PURPOSES.statistics };
        expect((await client.get(request)).record).to.deep.equal({ households: 12 });
        const asCivil = await connect(world.rpcUrl, world.manifest, world.civilAffairs.operator);
        await asCivil.dataSharing.withdrawDataset(withdrawable);
        const error = await refusal(client.get(request));
        expect([error.status, error.reason]).to.deep.equal([403, "DatasetWithdrawn"]);
      });

      it("refuses a suspended agency at once, before the registry's standing is synced", async function () {
        const citizen = await citizenWithConsent();
        const gov = await connect(world.rpcUrl, world.manifest, world.governance);
        await gov.directory.suspendAgency(world.health.id);
        try {
          const error = await refusal(client.get(household(citizen)));
          expect([error.status, error.errorCode, error.reason]).to.deep.equal([
            403,
            "REQUESTER_INACTIVE",
            AccessReason[AccessReason.RequesterInactive],
          ]);
        } finally {
          await gov.directory.reinstateAgency(world.health.id);
        }
        expect((await client.get(household(citizen))).subject).to.equal(citizen.address);
      });

      it("refuses with 401 a key that does not act for the agency it names", async function () {
        const citizen = await citizenWithConsent();
        for (const key of [devKey(19), world.civilAffairs.operator]) {
          const error = await refusal((await healthClient(world, url, key)).get(household(citizen)));
          expect([error.status, error.errorCode]).to.deep.equal([401, "KEY_NOT_AUTHORIZED"]);
        }
      });

      it("refuses a replayed request, an expired signature and a forged body with 401", async function () {
        const citizen = await citizenWithConsent();
        const signed = await client.signRequest(household(citizen));
        const body = rawBody(signed.message, signed.signature);
        expect((await postRaw(url, body)).status).to.equal(200);
        const replay = await postRaw(url, body);
        expect([replay.status, replay.body.code, replay.signed]).to.deep.equal([401, "REPLAYED", true]);

        const late = await client.signRequest({
          ...household(citizen),
          deadline: BigInt(Math.floor(Date.now() / 1000) - 1),
        });
        const expired = await postRaw(url, rawBody(late.message, late.signature));
        expect([expired.status, expired.body.code]).to.deep.equal([401, "SIGNATURE_EXPIRED"]);

        const other = await citizenWithConsent();
        const fresh = await client.signRequest(household(citizen));
        const forged = rawBody({ ...fresh.message, subject: other.address }, fresh.signature);
        const answer = await postRaw(url, forged);
        expect([answer.status, answer.body.code]).to.deep.equal([401, "KEY_NOT_AUTHORIZED"]);

        const elsewhere = await client.signRequest(household(citizen));
        const misdirected = rawBody(
          { ...elsewhere.message, gateway: world.health.gatewayKey.address },
          elsewhere.signature,
        );
        expect((await postRaw(url, misdirected)).body.code).to.equal("WRONG_GATEWAY");
      });

      it("answers 400 to malformed requests and 404 to unknown records and datasets", async function () {
        expect((await postRaw(url, "{not json")).status).to.equal(400);
        const bad = await postRaw(url, { request: { dataset: "x" }, signature: "0x" });
        expect([bad.status, bad.body.code]).to.deep.equal([400, "BAD_REQUEST"]);

        const stranger = devKey(nextCitizen++);
        const asStranger = await connect(world.rpcUrl, world.manifest, stranger);
        await asStranger.dataSharing.grantConsent({
          requester: healthRequester(world),
          datasetId: world.datasets.households,
          purpose: DEMO_PURPOSES.benefits,
          expiresAt: (await asStranger.directory.latestTimestamp()) + 3_600,
        });
        const missing = await refusal(client.get(household(stranger)));
        expect([missing.status, missing.errorCode]).to.deep.equal([404, "UNKNOWN_RECORD"]);
        // Another agency's dataset: the gateway answers 404, and the client would not trust this gateway about it.
        const other = await client.signRequest({ ...household(stranger), dataset: world.datasets.vaccinations });
        const unserved = await postRaw(url, rawBody(other.message, other.signature));
        expect([unserved.status, unserved.body.code]).to.deep.equal([404, "UNKNOWN_DATASET"]);
        const untrusted = await client
          .get({ ...household(stranger), dataset: world.datasets.vaccinations })
          .catch((e: unknown) => e);
        expect(untrusted).to.be.instanceOf(GatewayResponseUnverifiedError);
      });

      it("lets the client refuse a response altered on the way", async function () {
        const citizen = await citizenWithConsent();
        const tampering: typeof fetch = async (input, init) => {
          const response = await fetch(input, init);
          if (!String(input).endsWith("/v1/data")) return response;
          const text = (await response.text()).replace("Citizen", "Citizen X");
          return new Response(text, { status: response.status, headers: response.headers });
        };
        const chain = await connect(world.rpcUrl, world.manifest);
        const { GatewayClient } = await import("../../sdk/src/gateway/client");
        const tampered = new GatewayClient({
          url,
          chain,
          signer: world.health.operator,
          requesterAgencyId: world.health.id,
          fetch: tampering,
        });
        const error = await tampered.get(household(citizen)).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(GatewayResponseUnverifiedError);
      });

      it("describes itself: health, readiness and OpenAPI", async function () {
        expect((await fetch(`${url}/health`)).status).to.equal(200);
        const ready = (await (await fetch(`${url}/ready`)).json()) as { ready: boolean };
        expect(ready.ready).to.be.true;
        const spec = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string; paths: object };
        expect(spec.openapi).to.equal("3.1.0");
        expect(Object.keys(spec.paths)).to.include("/v1/data");
      });

      if (variant.name === "on PostgreSQL") {
        it("answers 503 and reports not ready while the database is down, and recovers", async function () {
          const citizen = await citizenWithConsent();
          await pg!.stop();
          try {
            const error = await refusal(client.get(household(citizen)));
            expect([error.status, error.errorCode]).to.deep.equal([503, "DATABASE_UNAVAILABLE"]);
            const ready = await fetch(`${url}/ready`);
            expect(ready.status).to.equal(503);
            expect(((await ready.json()) as { ready: boolean }).ready).to.be.false;
          } finally {
            await pg!.start();
          }
          expect((await client.get(household(citizen))).subject).to.equal(citizen.address);
        });
      }
    });
  }

  describe("when the chain is down", function () {
    it("answers 503 and reports not ready", async function () {
      const db = await openPGlite();
      const { app, url } = await civilAffairsGateway(world, db);
      try {
        const client = await healthClient(world, url);
        const signed = await client.signRequest({
          dataset: world.datasets.centres,
          subject: ZeroAddress,
          purpose: DEMO_PURPOSES.statistics,
        });
        await node.stop();
        const answer = await postRaw(url, rawBody(signed.message, signed.signature));
        expect([answer.status, answer.body.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);
        const ready = await fetch(`${url}/ready`);
        expect(ready.status).to.equal(503);
        expect(((await ready.json()) as { chain: string }).chain).to.equal("unavailable");
      } finally {
        await app.close();
      }
    });
  });
});
