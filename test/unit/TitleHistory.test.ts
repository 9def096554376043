import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, EventLog, Log } from "ethers";

import {
  RegistrationBasis,
  UnitKind,
  certificate,
  documentHash,
  lienTerms,
  owner,
  parcelData,
  parcelNumber,
  proposeSale,
  registerLienOnChain,
  titleFixture,
  titleIdOf,
} from "../helpers/titles";
import type { TitleFixture } from "../helpers/titles";

type Fixture = TitleFixture & { titleId: bigint };

interface Step {
  block: number;
  index: number;
  entry: string;
}

/** Every event of `contract` whose first indexed argument is `titleId`, as "Name args…" lines. */
async function eventsOf(contract: BaseContract, titleId: bigint): Promise<Step[]> {
  const logs = (await contract.queryFilter("*" as never)) as (EventLog | Log)[];
  const steps: Step[] = [];
  for (const log of logs) {
    if (log.topics.length < 2 || BigInt(log.topics[1]) !== titleId) continue;
    const parsed = contract.interface.parseLog(log);
    if (!parsed) continue;
    steps.push({ block: log.blockNumber, index: log.index, entry: renderEvent(parsed.name, parsed.args.toArray()) });
  }
  return steps;
}

/** A readable, stable rendering of one event (addresses and hashes shortened). */
function renderEvent(name: string, args: unknown[]): string {
  const render = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(render).join(",")}]`;
    if (typeof value === "string" && value.startsWith("0x")) return value.slice(0, 8);
    return String(value);
  };
  return `${name} ${args.slice(1).map(render).join(" ")}`.trim();
}

/** The whole history of one parcel, across the four registries, in chain order. */
async function historyOf(f: Fixture, titleId: bigint): Promise<string[]> {
  const steps = (
    await Promise.all([f.titles, f.liens, f.restrictions, f.lineage].map((c) => eventsOf(c, titleId)))
  ).flat();
  steps.sort((a, b) => a.block - b.block || a.index - b.index);
  return steps.map((s) => s.entry);
}

/** Owners after each registration, replayed from OwnershipRegistered alone. */
async function ownershipChain(f: Fixture, titleId: bigint): Promise<{ basis: bigint; owners: string[] }[]> {
  const events = await f.titles.queryFilter(f.titles.filters.OwnershipRegistered(titleId));
  return events.map((e) => ({ basis: e.args.basis, owners: e.args.owners.map((o) => `${o.account}:${o.shares}`) }));
}

/** Liens in force after replaying LienRegistered, LienReleased and LienDischarged. */
async function liensInForce(f: Fixture, titleId: bigint): Promise<string[]> {
  const registered = await f.liens.queryFilter(f.liens.filters.LienRegistered(titleId));
  const ended = [
    ...(await f.liens.queryFilter(f.liens.filters.LienReleased(titleId))),
    ...(await f.liens.queryFilter(f.liens.filters.LienDischarged(titleId))),
  ].map((e) => e.args.loanContractHash);
  return registered.map((e) => e.args.loanContractHash).filter((hash) => !ended.includes(hash));
}

/** A parcel's life: first registration, mortgage, two seizures, sale discharging the mortgage, inheritance, split. */
async function historyFixture() {
  const f = await titleFixture();
  const terms = await lienTerms(f, f.titleId);
  await registerLienOnChain(f, terms, [f.alice]);
  await f.restrictions.connect(f.judge).freeze(f.titleId, f.courtAgencyId, documentHash("case 1"));
  await f.restrictions.connect(f.secondJudge).freeze(f.titleId, f.secondCourtAgencyId, documentHash("case 2"));
  await f.restrictions.connect(f.judge).unfreeze(f.titleId, 1, documentHash("ruling 1"));
  await f.restrictions.connect(f.secondJudge).unfreeze(f.titleId, 2, documentHash("ruling 2"));
  await f.liens.connect(f.lender).agreeDischarge(f.titleId, terms.loanContractHash);
  const proposalId = await proposeSale(f, f.titleId, f.alice, [owner(f.bob)], [terms.loanContractHash]);
  await f.titles.connect(f.bob).acceptTransfer(f.titleId, proposalId);
  await f.titles.connect(f.registrar).approveTransfer(f.titleId, proposalId, [certificate("bob")]);
  await f.titles
    .connect(f.registrar)
    .registerTransfer(
      f.titleId,
      RegistrationBasis.Inheritance,
      [owner(f.carol, 5_000n), owner(f.dave, 5_000n)],
      documentHash("will"),
      [],
      [certificate("carol"), certificate("dave")],
    );
  const children = [21, 22].map((serial) => ({
    parcelNumber: parcelNumber(serial),
    data: parcelData(`survey-${serial}`, { kind: UnitKind.Apartment }),
  }));
  await f.lineage.connect(f.registrar).subdivide(f.titleId, children, documentHash("survey"));
  return { ...f, terms, childIds: children.map((c) => titleIdOf(c.parcelNumber)) };
}

describe("Title history", function () {
  it("replays the chain of ownership of a parcel from OwnershipRegistered events", async function () {
    const f = await loadFixture(historyFixture);
    expect(await ownershipChain(f, f.titleId)).to.deep.equal([
      { basis: BigInt(RegistrationBasis.FirstRegistration), owners: [`${f.alice.address}:10000`] },
      { basis: BigInt(RegistrationBasis.Sale), owners: [`${f.bob.address}:10000`] },
      { basis: BigInt(RegistrationBasis.Inheritance), owners: [`${f.carol.address}:5000`, `${f.dave.address}:5000`] },
    ]);
    for (const childId of f.childIds) {
      expect(await ownershipChain(f, childId)).to.deep.equal([
        { basis: BigInt(RegistrationBasis.Subdivision), owners: [`${f.carol.address}:5000`, `${f.dave.address}:5000`] },
      ]);
    }
  });

  it("replays liens and seizures to the state the registries hold", async function () {
    const f = await loadFixture(historyFixture);
    expect(await liensInForce(f, f.titleId)).to.deep.equal([]);
    expect((await f.titles.title(f.titleId)).activeLiens).to.equal(0);
    const filed = await f.restrictions.queryFilter(f.restrictions.filters.SeizureFiled(f.titleId));
    const tookEffect = await f.restrictions.queryFilter(f.restrictions.filters.SeizureTookEffect(f.titleId));
    const lifted = await f.restrictions.queryFilter(f.restrictions.filters.SeizureLifted(f.titleId));
    expect(filed.map((e) => [e.args.seizureId, e.args.status])).to.deep.equal([
      [1n, 2n],
      [2n, 1n],
    ]);
    expect(tookEffect.map((e) => e.args.seizureId)).to.deep.equal([2n]);
    // The queued seizure came into force in the very transaction that lifted the first.
    expect(tookEffect[0].transactionHash).to.equal(lifted[0].transactionHash);
    expect(lifted.map((e) => e.args.seizureId)).to.deep.equal([1n, 2n]);
    expect(await f.restrictions.activeSeizure(f.titleId)).to.equal(0);
  });

  it("reads as one ordered story across the four registries", async function () {
    const f = await loadFixture(historyFixture);
    const story = (await historyOf(f, f.titleId)).map((entry) => entry.split(" ")[0]);
    // ERC-721 Transfer and ERC-4906 MetadataUpdate do not index the title id first, so they are not part of it.
    expect(story).to.deep.equal([
      "TitleRegistered",
      "OwnershipRegistered",
      "LienConsented",
      "LienRegistered",
      "SeizureFiled",
      "RestrictionHintChanged",
      "SeizureFiled",
      "SeizureLifted",
      "SeizureTookEffect",
      "SeizureLifted",
      "RestrictionHintChanged",
      "LienDischargeAgreed",
      "TransferProposed",
      "TransferAccepted",
      "TransferAccepted",
      "LienDischarged",
      "OwnershipRegistered",
      "OwnershipRegistered",
      "TitleRetired",
      "TitleSubdivided",
    ]);
  });
});
