import fs from "node:fs";
import path from "node:path";

import type { BaseContractMethod, Contract, ContractTransactionResponse, InterfaceAbi, Signer } from "ethers";
import { ethers } from "hardhat";

import type { BenchResults } from "./results-table";

/**
 * Deploys the peers from the bytecode their npm packages ship (never recompiled against our OpenZeppelin) and
 * measures their user-facing operations. Every row is named `peer.<system>.<operation>`.
 */

const ROOT = path.resolve(__dirname, "..");

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
}

/** Reads a Hardhat artifact from a package directory (the packages' `exports` hide them from `require`). */
function artifact(relativePath: string): Artifact {
  const json = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", relativePath), "utf8"));
  return { abi: json.abi, bytecode: json.bytecode };
}

async function deploy(source: Artifact, signer: Signer, ...args: unknown[]): Promise<Contract> {
  const factory = new ethers.ContractFactory(source.abi, source.bytecode, signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract as Contract;
}

/** EIP-1167 minimal proxy creation code: how TradeTrust's own deployer instantiates its token implementation. */
function minimalProxyInitCode(implementation: string): string {
  return `0x3d602d80600a3d3981f3363d3d373d3d3d363d73${implementation.slice(2).toLowerCase()}5af43d82803e903d91602b57fd5bf3`;
}

/** Big batches: the node's own estimate plus a margin, so a batch near the block limit is not cut short. */
export function withHeadroom(estimate: bigint): bigint {
  return (estimate * 12n) / 10n;
}

/** Sends a call whose gas is near the block limit with an explicit limit (estimate plus headroom). */
export async function gasOfLarge(method: BaseContractMethod, ...args: unknown[]): Promise<number> {
  const gasLimit = withHeadroom(await method.estimateGas(...args));
  return gasOf(method(...args, { gasLimit }) as Promise<ContractTransactionResponse>);
}

export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

/** Distinct, realistic-looking 32-byte document hashes. */
export function hashes(count: number, label: string): string[] {
  return Array.from({ length: count }, (_, i) => ethers.keccak256(ethers.toUtf8Bytes(`${label}-${i}`)));
}

export interface PeerGas {
  documentStoreIssue: number;
  documentStoreBulkIssuePerDoc: Map<number, number>;
  documentStoreRevoke: number;
  documentStoreIsIssued: number;
  easRegisterSchema: number;
  easAttest: number;
  /** Per attestation, by batch size ({@link EAS_BATCH_SIZES}). */
  easMultiAttestPerAttestation: Map<number, number>;
  easRevoke: number;
  tradeTrustMint: number;
  tradeTrustTransferHolder: number;
  erc721Mint: number;
  erc721TransferFrom: number;
}

export const BATCH_SIZES = [1, 10, 100, 1000];
/** The block time of the attestation EAS revokes (2033-05-18); see where it is used. */
const EAS_ATTEST_TIME = 2_000_000_000;
/** EAS batches stop at 100: 1,000 attestations take about 210 M gas, far above any block. */
export const EAS_BATCH_SIZES = [1, 10, 100];

export async function measurePeers(results: BenchResults, probe: Contract): Promise<PeerGas> {
  const [admin, holder, newHolder] = await ethers.getSigners();
  const { DocumentStoreFactory } = await import("@govtechsg/document-store");

  // OpenAttestation DocumentStore
  const documentStore = await deploy(
    { abi: DocumentStoreFactory.abi as InterfaceAbi, bytecode: DocumentStoreFactory.bytecode },
    admin,
    "Bench Store",
    admin.address,
  );
  const [first] = hashes(1, "ds-single");
  const documentStoreIssue = await gasOf(documentStore.issue(first));
  const documentStoreBulkIssuePerDoc = new Map<number, number>();
  for (const size of BATCH_SIZES) {
    const batch = hashes(size, `ds-bulk-${size}`);
    const gas = await gasOf(
      documentStore.bulkIssue(batch, { gasLimit: withHeadroom(await documentStore.bulkIssue.estimateGas(batch)) }),
    );
    documentStoreBulkIssuePerDoc.set(size, gas / size);
  }
  const documentStoreRevoke = await gasOf(documentStore.revoke(first));
  const [isIssuedGas] = await probe.measure(
    await documentStore.getAddress(),
    documentStore.interface.encodeFunctionData("isIssued", [first]),
  );
  const documentStoreIsIssued = Number(isIssuedGas);

  // Ethereum Attestation Service
  const easBase = "@ethereum-attestation-service/eas-contracts/artifacts/contracts";
  const schemaRegistry = await deploy(artifact(`${easBase}/SchemaRegistry.sol/SchemaRegistry.json`), admin);
  const eas = await deploy(artifact(`${easBase}/EAS.sol/EAS.json`), admin, await schemaRegistry.getAddress());
  // The schema a certificate needs: the document's Merkle root, its type and the holder commitment.
  const schema = "bytes32 documentRoot,uint32 certificateType,bytes32 holderCommitment";
  const easRegisterSchema = await gasOf(schemaRegistry.register(schema, ethers.ZeroAddress, true));
  const schemaUid = ethers.solidityPackedKeccak256(["string", "address", "bool"], [schema, ethers.ZeroAddress, true]);
  const attestationData = (root: string) => ({
    recipient: holder.address,
    expirationTime: 0n,
    revocable: true,
    refUID: ethers.ZeroHash,
    data: ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint32", "bytes32"], [root, 1, ethers.id("holder")]),
    value: 0n,
  });
  // An attestation's uid hashes its block time, and `revoke` carries the uid: pin the time of this one block so that
  // the uid's zero bytes, and so the revocation's calldata gas, are the same in every run.
  const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
  await ethers.provider.send("evm_setNextBlockTimestamp", [Math.max(latest + 1, EAS_ATTEST_TIME)]);
  const attestTx = await eas.attest({ schema: schemaUid, data: attestationData(first) });
  const attestReceipt = await attestTx.wait();
  const easAttest = Number(attestReceipt!.gasUsed);
  const attestedUid = eas.interface.parseLog(attestReceipt!.logs[0])!.args.uid as string;
  const easMultiAttestPerAttestation = new Map<number, number>();
  for (const size of EAS_BATCH_SIZES) {
    const gas = await gasOfLarge(eas.multiAttest, [
      { schema: schemaUid, data: hashes(size, `eas-multi-${size}`).map((h) => attestationData(h)) },
    ]);
    easMultiAttestPerAttestation.set(size, gas / size);
  }
  const easRevoke = await gasOf(eas.revoke({ schema: schemaUid, data: { uid: attestedUid, value: 0n } }));

  // TradeTrust token registry: a title is an ERC-721 held by a per-token title escrow.
  const ttBase = "@tradetrust-tt/token-registry/dist/artifacts";
  const escrowFactory = await deploy(artifact(`${ttBase}/TitleEscrowFactory.sol/TitleEscrowFactory.json`), admin);
  const tokenSource = artifact(`${ttBase}/presets/TradeTrustTokenStandard.sol/TradeTrustTokenStandard.json`);
  const tokenImplementation = await deploy(tokenSource, admin);
  const cloneTx = await admin.sendTransaction({ data: minimalProxyInitCode(await tokenImplementation.getAddress()) });
  const cloneAddress = (await cloneTx.wait())!.contractAddress!;
  const token = new ethers.Contract(cloneAddress, tokenSource.abi, admin);
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const initParams = coder.encode(
    ["bytes", "address"],
    [
      coder.encode(["string", "string", "address"], ["Bench Titles", "BT", admin.address]),
      await escrowFactory.getAddress(),
    ],
  );
  await (await token.initialize(initParams)).wait();
  const titleId = 1n;
  const tradeTrustMint = await gasOf(token.mint(holder.address, holder.address, titleId, "0x"));
  const escrowAddress = await escrowFactory.getEscrowAddress(cloneAddress, titleId);
  const escrow = new ethers.Contract(escrowAddress, artifact(`${ttBase}/TitleEscrow.sol/TitleEscrow.json`).abi, holder);
  const tradeTrustTransferHolder = await gasOf(escrow.transferHolder(newHolder.address, "0x"));

  // Plain OpenZeppelin ERC-721
  const erc721 = await (await ethers.getContractFactory("PlainERC721")).deploy();
  const erc721Mint = await gasOf(erc721.mint(holder.address, 1n));
  const erc721TransferFrom = await gasOf(
    erc721.connect(holder).transferFrom(holder.address, newHolder.address, 1n) as Promise<ContractTransactionResponse>,
  );

  const gas: PeerGas = {
    documentStoreIssue,
    documentStoreBulkIssuePerDoc,
    documentStoreRevoke,
    documentStoreIsIssued,
    easRegisterSchema,
    easAttest,
    easMultiAttestPerAttestation,
    easRevoke,
    tradeTrustMint,
    tradeTrustTransferHolder,
    erc721Mint,
    erc721TransferFrom,
  };
  results.add("peer.documentStore.issue", documentStoreIssue, "gas");
  for (const [size, perDoc] of documentStoreBulkIssuePerDoc) {
    results.add(`peer.documentStore.bulkIssue.${size}.perDoc`, perDoc, "gas");
  }
  results.add("peer.documentStore.revoke", documentStoreRevoke, "gas");
  results.add("peer.documentStore.isIssued", documentStoreIsIssued, "gas");
  results.add("peer.eas.registerSchema", easRegisterSchema, "gas");
  results.add("peer.eas.attest", easAttest, "gas");
  for (const [size, perAttestation] of easMultiAttestPerAttestation) {
    results.add(`peer.eas.multiAttest.${size}.perAttestation`, perAttestation, "gas");
  }
  results.add("peer.eas.revoke", easRevoke, "gas");
  results.add("peer.tradeTrust.mint", tradeTrustMint, "gas");
  results.add("peer.tradeTrust.transferHolder", tradeTrustTransferHolder, "gas");
  results.add("peer.erc721.mint", erc721Mint, "gas");
  results.add("peer.erc721.transferFrom", erc721TransferFrom, "gas");
  return gas;
}
