import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import { Capability, capabilityMask } from "../sdk/src/utils/capabilities";
import { onboardAgency, probeGas, sent, type GovChainSuite } from "./deploy";
import type { BenchResults } from "./results-table";

/**
 * Gas of the agency directory's operations that every registry depends on: onboarding an agency, adding an operator
 * key, and `canAct` as another contract pays it (cold, through GasProbe).
 */
export async function measureDirectory(
  results: BenchResults,
  suite: GovChainSuite,
  admin: HardhatEthersSigner,
  operator: HardhatEthersSigner,
): Promise<void> {
  const { directory, probe } = suite;
  // Measured once the directory already holds agencies (the other modules onboard theirs first).
  const { agencyId, gas } = await onboardAgency(
    directory,
    "上海市住房和城乡建设管理委员会",
    "CN/310000",
    admin.address,
    capabilityMask("IssueCertificates", "PublishDatasets", "RequestData"),
  );
  results.add("directory.onboard", gas, "gas");
  results.add(
    "directory.addOperator",
    (await sent(directory.connect(admin).addOperator(agencyId, operator.address))).gas,
    "gas",
  );
  const data = directory.interface.encodeFunctionData("canAct", [
    operator.address,
    agencyId,
    Capability.IssueCertificates,
  ]);
  results.add("directory.canAct", await probeGas(probe, await directory.getAddress(), data), "gas");
  const keyData = directory.interface.encodeFunctionData("authorizedKey", [
    operator.address,
    agencyId,
    Capability.IssueCertificates,
  ]);
  results.add("directory.authorizedKey", await probeGas(probe, await directory.getAddress(), keyData), "gas");
}
