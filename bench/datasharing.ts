import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ethers } from "hardhat";

import { capabilityMask } from "../sdk/src/utils/capabilities";
import {
  agencyRequester,
  CONSENT_GRANT_TYPES,
  dataSharingDomain,
  enterpriseRequester,
  purposeCode,
  Sensitivity,
  SharingCategory,
} from "../sdk/src/utils/datasharing";
import type { DataSharingRegistry } from "../typechain-types";
import { onboardAgency, probeGas, sent, SIGNED_DEADLINE, stableTimestamp, type GovChainSuite } from "./deploy";
import type { BenchResults } from "./results-table";

/**
 * Gas of the data-sharing registry's user-facing operations: the catalogue, consents (direct and relayed with an
 * EIP-712 signature), inter-agency requests, the gateway's `checkAccess` (cold, through GasProbe, as another
 * contract pays it) and access receipts. No peer does this; the rows stand alone.
 */

const DAY = 24 * 60 * 60;
const PURPOSE = {
  benefits: purposeCode("social-benefits-eligibility"),
  housing: purposeCode("housing-subsidy"),
  statistics: purposeCode("official-statistics"),
};
const RECORD_HASH = ethers.id("records:42;fields:name,address");

export interface DataSharingSigners {
  publisher: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  citizen: HardhatEthersSigner;
  otherCitizen: HardhatEthersSigner;
  signingCitizen: HardhatEthersSigner;
  enterprise: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
}

function entry(title: string, sensitivity: Sensitivity, sharing: SharingCategory, purposes: string[]) {
  return { title, schemaHash: ethers.id(`schema:${title}`), sensitivity, sharing, purposes };
}

async function datasetIdOf(registry: DataSharingRegistry, tx: ReturnType<DataSharingRegistry["publishDataset"]>) {
  const { gas, receipt } = await sent(tx);
  const event = receipt.logs
    .map((log) => registry.interface.parseLog(log))
    .find((parsed) => parsed?.name === "DatasetPublished");
  return { datasetId: event!.args.datasetId as bigint, gas };
}

export async function measureDataSharing(
  results: BenchResults,
  suite: GovChainSuite,
  signers: DataSharingSigners,
): Promise<void> {
  const { directory, dataSharing, probe, governance } = suite;
  const { publisher, requester, citizen, otherCitizen, signingCitizen, enterprise, relayer } = signers;
  const address = await dataSharing.getAddress();

  const { agencyId: civil } = await onboardAgency(
    directory,
    "上海市民政局",
    "CN/310000",
    governance.address,
    capabilityMask("PublishDatasets", "RequestData"),
  );
  const { agencyId: health } = await onboardAgency(
    directory,
    "上海市卫生健康委员会",
    "CN/310000",
    governance.address,
    capabilityMask("RequestData"),
  );
  await (await directory.addOperator(civil, publisher.address)).wait();
  await (await directory.addOperator(health, requester.address)).wait();
  await (await dataSharing.syncAgency(health)).wait();

  const catalogue = dataSharing.connect(publisher);
  const { datasetId: households } = await datasetIdOf(
    dataSharing,
    catalogue.publishDataset(
      civil,
      entry("Household registration records", Sensitivity.Personal, SharingCategory.Conditional, [
        PURPOSE.benefits,
        PURPOSE.housing,
      ]),
    ),
  );
  // Measured on the agency's second dataset: steady state, not the registry's first write of its counters.
  const { datasetId: residence, gas: publish } = await datasetIdOf(
    dataSharing,
    catalogue.publishDataset(
      civil,
      entry("Registered residence addresses", Sensitivity.Personal, SharingCategory.Unconditional, [PURPOSE.housing]),
    ),
  );
  results.add("datasets.publish", publish, "gas");
  const { datasetId: budget } = await datasetIdOf(
    dataSharing,
    catalogue.publishDataset(
      civil,
      entry("Budget execution", Sensitivity.Internal, SharingCategory.Conditional, [PURPOSE.statistics]),
    ),
  );

  // Inter-agency request and approval.
  const filed = await sent(
    dataSharing.connect(requester).requestAccess(health, budget, PURPOSE.statistics, ethers.id("statute")),
  );
  results.add("access.request", filed.gas, "gas");
  const requestId = filed.receipt.logs
    .map((log) => dataSharing.interface.parseLog(log))
    .find((parsed) => parsed?.name === "AccessRequested")!.args.requestId as bigint;
  results.add(
    "access.approve",
    (await sent(catalogue.approveRequest(requestId, await stableTimestamp(90 * DAY)))).gas,
    "gas",
  );

  // Consent, directly by the citizen (after the registry's first grant, so the grant counter is warm in state).
  const healthRequester = agencyRequester(health);
  const company = enterpriseRequester(enterprise.address);
  const expires = await stableTimestamp(30 * DAY);
  const grant = await sent(
    dataSharing.connect(citizen).grantConsent(healthRequester, households, PURPOSE.benefits, expires, false),
  );
  results.add("consent.grant", grant.gas, "gas");
  await (await dataSharing.connect(citizen).grantConsent(company, residence, PURPOSE.housing, expires, false)).wait();

  // Consent by signature, relayed: a citizen's first signed consent (the nonce slot is written for the first time).
  const { chainId } = await ethers.provider.getNetwork();
  const message = {
    subject: signingCitizen.address,
    requester: healthRequester,
    datasetId: households,
    purpose: PURPOSE.benefits,
    expiresAt: SIGNED_DEADLINE,
    singleUse: false,
    nonce: await dataSharing.nonces(signingCitizen.address),
    deadline: SIGNED_DEADLINE,
  };
  const signature = await signingCitizen.signTypedData(
    dataSharingDomain(chainId, address),
    CONSENT_GRANT_TYPES,
    message,
  );
  results.add(
    "consent.grantBySig",
    (await sent(dataSharing.connect(relayer).grantConsentBySig(message, signature))).gas,
    "gas",
  );

  // The gateway's question, cold, as another contract pays it.
  const check = (subject: string, who: bigint, datasetId: bigint, purpose: string) =>
    probeGas(
      probe,
      address,
      dataSharing.interface.encodeFunctionData("checkAccess", [subject, who, datasetId, purpose]),
    );
  results.add(
    "consent.checkAccess",
    await check(citizen.address, healthRequester, households, PURPOSE.benefits),
    "gas",
  );
  results.add(
    "consent.checkAccess.enterprise",
    await check(citizen.address, company, residence, PURPOSE.housing),
    "gas",
  );
  results.add(
    "access.checkAccess.approved",
    await check(ethers.ZeroAddress, healthRequester, budget, PURPOSE.statistics),
    "gas",
  );
  results.add(
    "access.checkAccess.unconditional",
    await check(ethers.ZeroAddress, healthRequester, residence, PURPOSE.housing),
    "gas",
  );

  // Receipts: an enterprise requester records its own access; an agency operator records the agency's.
  results.add(
    "consent.receipt",
    (
      await sent(
        dataSharing.connect(enterprise).recordAccess(citizen.address, company, residence, PURPOSE.housing, RECORD_HASH),
      )
    ).gas,
    "gas",
  );
  results.add(
    "consent.receipt.agency",
    (
      await sent(
        dataSharing
          .connect(requester)
          .recordAccess(citizen.address, healthRequester, households, PURPOSE.benefits, RECORD_HASH),
      )
    ).gas,
    "gas",
  );
  await (
    await dataSharing
      .connect(otherCitizen)
      .grantConsent(company, residence, PURPOSE.housing, await stableTimestamp(DAY), true)
  ).wait();
  results.add(
    "consent.receipt.singleUse",
    (
      await sent(
        dataSharing
          .connect(enterprise)
          .recordAccess(otherCitizen.address, company, residence, PURPOSE.housing, RECORD_HASH),
      )
    ).gas,
    "gas",
  );

  results.add(
    "consent.revoke",
    (await sent(dataSharing.connect(citizen).revokeConsent(healthRequester, households, PURPOSE.benefits))).gas,
    "gas",
  );
}
