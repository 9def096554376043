import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ethers, upgrades } from "hardhat";
import type { ContractTransactionResponse } from "ethers";

import { Capability } from "../../sdk/src/utils/capabilities";
import type { AgencyDirectory, CertificateRegistry, GasProbe } from "../../typechain-types";
import { deployDirectory, onboard } from "./directory";

/** Certificate lifecycle, mirroring `ICertificateRegistry.CertificateStatus`. */
export enum CertificateStatus {
  None = 0,
  Issued = 1,
  Revoked = 2,
  Suspended = 3,
  Superseded = 4,
}

export const ONE_YEAR = 365n * 24n * 60n * 60n;
export const SCHEMA_HASH = ethers.id("https://schemas.govchain.example/residence-permit/v1");

/** A deterministic certificate id for tests (in production: the Merkle root of the document's salted fields). */
export function certificateId(label: string): string {
  return ethers.id(`certificate:${label}`);
}

/** A deterministic holder commitment for tests. */
export function holderCommitment(label: string): string {
  return ethers.id(`holder:${label}`);
}

/** `count` distinct certificate ids with a common prefix. */
export function certificateIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => certificateId(`${prefix}-${i}`));
}

/** The tree the document library builds for an anchored batch: OpenZeppelin StandardMerkleTree over [[id]]. */
export function batchTree(ids: string[]): StandardMerkleTree<[string]> {
  return StandardMerkleTree.of(
    ids.map((id) => [id] as [string]),
    ["bytes32"],
  );
}

/** The proof of `id` in `tree`. */
export function proofOf(tree: StandardMerkleTree<[string]>, id: string): string[] {
  return tree.getProof([id]);
}

/** Deploys the certificate registry behind a UUPS proxy, bound to `directory`. */
export async function deployRegistry(directory: AgencyDirectory): Promise<CertificateRegistry> {
  const factory = await ethers.getContractFactory("CertificateRegistry");
  const proxy = await upgrades.deployProxy(factory, [await directory.getAddress()], { kind: "uups" });
  await proxy.waitForDeployment();
  return proxy as unknown as CertificateRegistry;
}

/** Registers a type and returns its id (read from the event, not guessed). */
export async function registerType(
  registry: CertificateRegistry,
  signer: Awaited<ReturnType<typeof ethers.getSigner>>,
  agencyId: bigint,
  name: string,
  revocable: boolean,
  defaultValidity: bigint,
): Promise<bigint> {
  const tx = await registry.connect(signer).registerType(agencyId, name, SCHEMA_HASH, revocable, defaultValidity);
  const receipt = await tx.wait();
  const event = receipt!.logs
    .map((log) => registry.interface.parseLog(log))
    .find((parsed) => parsed?.name === "CertificateTypeRegistered");
  return event!.args.typeId as bigint;
}

/** The gas a transaction used, from its receipt. */
export async function gasUsed(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

/**
 * The world most certificate tests start from: a directory with
 * - `civil` (Civil Affairs Bureau, may issue), admin `civilAdmin`, operator `issuer` (and `secondIssuer`);
 * - `health` (Health Commission, may issue), admin `healthAdmin`, operator `otherIssuer`;
 * - `successor` (the bureau that takes over civil's records if civil is dissolved), operator `successorIssuer`;
 * - `archive` (an agency without ISSUE_CERTIFICATES), operator `archivist`;
 * and a registry with three types: `permitType` (civil, revocable, one-year default), `birthType` (civil,
 * not revocable, never expires) and `vaccinationType` (health, revocable, never expires).
 */
export async function deployCertificateFixture() {
  const [
    governance,
    civilAdmin,
    issuer,
    secondIssuer,
    healthAdmin,
    otherIssuer,
    successorAdmin,
    successorIssuer,
    archivist,
    outsider,
  ] = await ethers.getSigners();
  const directory = await deployDirectory();
  const issue = Capability.IssueCertificates;
  const civil = await onboard(directory, "Civil Affairs Bureau", "CN/310000", civilAdmin.address, issue);
  const health = await onboard(directory, "Health Commission", "CN/310000", healthAdmin.address, issue);
  const successor = await onboard(directory, "Civil Records Office", "CN/310000", successorAdmin.address, issue);
  const archive = await onboard(directory, "City Archive", "CN/310000", governance.address, Capability.PublishDatasets);
  await directory.connect(civilAdmin).addOperator(civil, issuer.address);
  await directory.connect(civilAdmin).addOperator(civil, secondIssuer.address);
  await directory.connect(healthAdmin).addOperator(health, otherIssuer.address);
  await directory.connect(successorAdmin).addOperator(successor, successorIssuer.address);
  await directory.addOperator(archive, archivist.address);

  const registry = await deployRegistry(directory);
  const permitType = await registerType(registry, issuer, civil, "Residence permit", true, ONE_YEAR);
  const birthType = await registerType(registry, issuer, civil, "Birth certificate", false, 0n);
  const vaccinationType = await registerType(registry, otherIssuer, health, "Vaccination record", true, 0n);
  const probe = (await (await ethers.getContractFactory("GasProbe")).deploy()) as unknown as GasProbe;

  return {
    directory,
    registry,
    probe,
    agencies: { civil, health, successor, archive },
    types: { permitType, birthType, vaccinationType },
    signers: {
      governance,
      civilAdmin,
      issuer,
      secondIssuer,
      healthAdmin,
      otherIssuer,
      successorAdmin,
      successorIssuer,
      archivist,
      outsider,
    },
  };
}

export type CertificateFixture = Awaited<ReturnType<typeof deployCertificateFixture>>;
