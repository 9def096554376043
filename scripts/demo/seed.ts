import fs from "node:fs";
import path from "node:path";

import { JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";

import { GovChainClient } from "../../sdk/src/client";
import { capabilityMask } from "../../sdk/src/utils/capabilities";
import { RevocationReason } from "../../sdk/src/utils/certificates";
import {
  agencyRequester,
  enterpriseRequester,
  purposeCode,
  Sensitivity,
  SharingCategory,
} from "../../sdk/src/utils/datasharing";
import { canonicalJson, disclose, wrapDocument, type WrappedCertificate } from "../../sdk/src/utils/documents";
import type { Manifest } from "../../sdk/src/utils/manifest";
import { LienKind, UnitKind } from "../../sdk/src/utils/titles";
import { DEMO_ACCOUNTS, devWallet } from "./accounts";

/**
 * Seeds a realistic demo on a freshly deployed suite: agencies of a city, certificate types and certificates
 * (valid, revoked, superseded, partially disclosed), datasets, consents and access receipts. Every write goes
 * through the SDK, exactly as an agency script would. Wrapped certificates are written to `outDir`.
 */

export interface DemoSummary {
  titles: Record<string, string>;
  agencies: Record<string, number>;
  certificateTypes: Record<string, number>;
  certificates: Record<string, string>;
  datasets: Record<string, number>;
  files: string[];
  subjects: Record<string, string>;
}

const DAY = 86_400;

/** Schema hash of a JSON Schema document: keccak-256 of its canonical JSON. */
function schemaHash(schema: object): string {
  return keccak256(toUtf8Bytes(canonicalJson(schema as never)));
}

const BUSINESS_LICENCE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "营业执照 Business licence",
  type: "object",
  required: ["companyName", "unifiedSocialCreditCode", "legalRepresentative", "registeredCapital", "businessScope"],
  properties: {
    companyName: { type: "string" },
    unifiedSocialCreditCode: { type: "string", format: "unified-social-credit-code" },
    legalRepresentative: { type: "string" },
    registeredCapital: { type: "string" },
    businessScope: { type: "string" },
  },
};

const REAL_ESTATE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "不动产权证书 Real estate title certificate",
  type: "object",
  required: ["parcelNumber", "owners", "address", "area", "landUse"],
  properties: {
    parcelNumber: { type: "string" },
    owners: { type: "string" },
    address: { type: "string" },
    area: { type: "string" },
    landUse: { type: "string" },
  },
};

const MARRIAGE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "结婚证 Marriage certificate",
  type: "object",
  required: ["spouseA", "spouseB", "registeredOn"],
  properties: {
    spouseA: { type: "object" },
    spouseB: { type: "object" },
    registeredOn: { type: "string", format: "date" },
  },
};

export async function seedDemo(options: {
  rpcUrl: string;
  manifest: Manifest;
  outDir: string;
  log?: (line: string) => void;
}): Promise<DemoSummary> {
  const log = options.log ?? (() => undefined);
  const provider = new JsonRpcProvider(options.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const as = (index: number) =>
    GovChainClient.connect({ manifest: options.manifest, provider, signer: devWallet(index) });
  const address = (index: number) => devWallet(index).address;
  const A = DEMO_ACCOUNTS;

  try {
    const gov = await as(A.governance);
    const now = (await provider.getBlock("latest"))!.timestamp;

    // Agencies of the city, each with only the powers it needs.
    const onboard = async (
      name: string,
      jurisdiction: string,
      admin: number,
      caps: Parameters<typeof capabilityMask>,
    ) =>
      (
        await gov.directory.onboardAgency({
          name,
          jurisdiction,
          admin: address(admin),
          capabilities: capabilityMask(...caps),
        })
      ).agencyId;
    const agencies = {
      marketRegulation: await onboard(
        "上海市市场监督管理局 Shanghai Administration for Market Regulation",
        "CN/31",
        A.marketRegulationAdmin,
        ["IssueCertificates", "PublishDatasets", "RequestData"],
      ),
      realEstate: await onboard(
        "上海市不动产登记局 Shanghai Real Estate Registration Bureau",
        "CN/31",
        A.realEstateAdmin,
        ["IssueCertificates", "RegisterTitles", "PublishDatasets", "RequestData", "AccreditAgencies"],
      ),
      civilAffairs: await onboard("上海市民政局 Shanghai Civil Affairs Bureau", "CN/31", A.governance, [
        "IssueCertificates",
        "PublishDatasets",
      ]),
      bank: await onboard("上海银行 Bank of Shanghai", "CN/31", A.governance, ["HoldLiens", "RequestData"]),
      court: await onboard("上海市第一中级人民法院 Shanghai No. 1 Intermediate People's Court", "CN/31", A.governance, [
        "FreezeTitles",
      ]),
      tax: await onboard("国家税务总局上海市税务局 Shanghai Tax Service", "CN/31", A.governance, [
        "RequestData",
        "PublishDatasets",
      ]),
    };
    log(`onboarded ${Object.keys(agencies).length} agencies`);

    const marketAdmin = await as(A.marketRegulationAdmin);
    await marketAdmin.directory.addOperator(agencies.marketRegulation, address(A.marketRegulationOperator));
    await marketAdmin.directory.addOperator(agencies.marketRegulation, address(A.gatewayMarketRegulation));
    const realEstateAdmin = await as(A.realEstateAdmin);
    await realEstateAdmin.directory.addOperator(agencies.realEstate, address(A.realEstateRegistrar));
    const xuhui = (
      await realEstateAdmin.directory.accreditAgency(agencies.realEstate, {
        name: "徐汇区不动产登记中心 Xuhui District Registration Centre",
        jurisdiction: "CN/31/04",
        admin: address(A.realEstateAdmin),
        capabilities: capabilityMask("RegisterTitles", "IssueCertificates"),
      })
    ).agencyId;
    await gov.directory.addOperator(agencies.civilAffairs, address(A.civilAffairsOperator));
    await gov.directory.addOperator(agencies.civilAffairs, address(A.gatewayCivilAffairs));
    await gov.directory.addOperator(agencies.bank, address(A.bankOperator));
    await gov.directory.addOperator(agencies.court, address(A.courtOperator));
    await gov.directory.addOperator(agencies.tax, address(A.taxOperator));
    log("added operator keys");

    // Certificate types.
    const market = await as(A.marketRegulationOperator);
    const civil = await as(A.civilAffairsOperator);
    const businessLicence = (
      await market.certificates.registerType({
        agencyId: agencies.marketRegulation,
        name: "营业执照 Business licence",
        schemaHash: schemaHash(BUSINESS_LICENCE_SCHEMA),
        revocable: true,
        defaultValidity: 0,
      })
    ).typeId;
    const marriage = (
      await civil.certificates.registerType({
        agencyId: agencies.civilAffairs,
        name: "结婚证 Marriage certificate",
        schemaHash: schemaHash(MARRIAGE_SCHEMA),
        revocable: true,
        defaultValidity: 0,
      })
    ).typeId;

    // Certificates.
    const registry = options.manifest.contracts.CertificateRegistry!.address;
    const chainId = options.manifest.chainId;
    const licence = (companyName: string, code: string, validUntil: number) =>
      wrapDocument({
        type: { typeId: businessLicence, chainId, registry },
        issuer: { agencyId: agencies.marketRegulation },
        holder: { id: code },
        validity: { validFrom: now, validUntil },
        fields: {
          companyName,
          unifiedSocialCreditCode: code,
          legalRepresentative: "张三",
          registeredCapital: "人民币壹仟万元整",
          businessScope: "软件开发；信息技术咨询服务",
        },
      });
    const valid = licence("上海示例科技有限公司", "91310000MA1FL8TQ49", now + 5 * 365 * DAY);
    const revoked = licence("上海旧貌贸易有限公司", "91310104MA1FR0BX2Y", now + 365 * DAY);
    const original = licence("上海更名前有限公司", "91310115MA1H7GQD3N", now + 365 * DAY);
    const corrected = licence("上海更名后有限公司", "91310115MA1H7GQD3N", now + 365 * DAY);
    for (const certificate of [valid, revoked, original]) await market.certificates.issueWrapped(certificate);
    await market.certificates.revoke(revoked.proof.certificateId, RevocationReason.Fraud);
    const header = corrected.data;
    await market.certificates.supersede(original.proof.certificateId, {
      certificateId: corrected.proof.certificateId,
      typeId: businessLicence,
      holderCommitment: header["holder.commitment"].value as string,
      validFrom: now,
      validUntil: now + 365 * DAY,
    });
    const marriageCertificate = wrapDocument({
      type: { typeId: marriage, chainId, registry },
      issuer: { agencyId: agencies.civilAffairs },
      holder: { id: "310104199001011233" },
      validity: { validFrom: now, validUntil: 0 },
      fields: {
        spouseA: { name: "张三", idNumber: "310104199001011233" },
        spouseB: { name: "李四", idNumber: "310105199203045673" },
        registeredOn: "2024-05-20",
      },
    });
    await civil.certificates.issueWrapped(marriageCertificate);
    const marriageForEmployer = disclose(marriageCertificate, [
      "holder.id",
      "fields.spouseA.idNumber",
      "fields.spouseB.idNumber",
    ]);
    log("issued certificates (valid, revoked, superseded, and a marriage certificate)");

    const files = writeCertificates(options.outDir, {
      "business-licence-valid.json": valid,
      "business-licence-revoked.json": revoked,
      "business-licence-superseded.json": original,
      "business-licence-corrected.json": corrected,
      "marriage-certificate.json": marriageCertificate,
      "marriage-certificate-disclosed.json": marriageForEmployer,
    });

    // The data-sharing registry keeps a copy of each agency's standing; bring it up to date after onboarding.
    for (const agencyId of Object.values(agencies)) await gov.dataSharing.syncAgency(agencyId);

    // Data sharing: a catalogue, an unconditional dataset, a citizen's signed consent relayed by a bank, receipts.
    const publish = (
      client: GovChainClient,
      owner: number,
      title: string,
      sensitivity: Sensitivity,
      sharing: SharingCategory,
      purposes: string[],
    ) =>
      client.dataSharing
        .publishDataset(owner, {
          title,
          schemaHash: keccak256(toUtf8Bytes(`${title}#schema-v1`)),
          sensitivity,
          sharing,
          purposes: purposes.map(purposeCode),
        })
        .then((r) => r.datasetId);
    const datasets = {
      enterpriseRegistry: await publish(
        market,
        agencies.marketRegulation,
        "企业登记信息 Enterprise registration records",
        Sensitivity.Public,
        SharingCategory.Unconditional,
        ["tax-registration", "loan-application", "license-review"],
      ),
      householdRegistry: await publish(
        civil,
        agencies.civilAffairs,
        "婚姻登记信息 Marriage registration records",
        Sensitivity.Personal,
        SharingCategory.Conditional,
        ["loan-application", "housing-purchase"],
      ),
    };
    const bank = await as(A.bankOperator);
    const zhang = devWallet(A.citizenZhang);
    const bankRequester = agencyRequester(agencies.bank);
    const { message, signature } = await bank.dataSharing.signConsent(zhang, {
      requester: bankRequester,
      datasetId: datasets.householdRegistry,
      purpose: purposeCode("loan-application"),
      expiresAt: now + 90 * DAY,
      singleUse: false,
      deadline: now + DAY,
    });
    await bank.dataSharing.relayConsent(message, signature);
    await bank.dataSharing.recordAccess({
      subject: zhang.address,
      requester: bankRequester,
      datasetId: datasets.householdRegistry,
      purpose: purposeCode("loan-application"),
      recordHash: keccak256(toUtf8Bytes("marriage-record:demo-1")),
    });
    // A citizen with gas of her own consents directly, for one use, to a developer checking her marriage record.
    const li = await as(A.citizenLi);
    await li.dataSharing.grantConsent({
      requester: enterpriseRequester(address(A.enterprise)),
      datasetId: datasets.householdRegistry,
      purpose: purposeCode("housing-purchase"),
      expiresAt: now + 30 * DAY,
      singleUse: true,
    });
    log("published datasets, relayed a citizen's signed consent, recorded an access receipt");

    // Real estate: the title registry issues real-estate certificates as an operator of the land registry.
    const titleRegistry = options.manifest.contracts.TitleRegistry!.address;
    await realEstateAdmin.directory.addOperator(agencies.realEstate, titleRegistry);
    const registrar = await as(A.realEstateRegistrar);
    const realEstateCertificate = (
      await registrar.certificates.registerType({
        agencyId: agencies.realEstate,
        name: "不动产权证书 Real estate title certificate",
        schemaHash: schemaHash(REAL_ESTATE_SCHEMA),
        revocable: true,
        defaultValidity: 0,
      })
    ).typeId;
    await registrar.titles.setCertificateType(agencies.realEstate, realEstateCertificate);
    const deed = (parcelNumber: string, holderId: string, owners: string) =>
      wrapDocument({
        type: { typeId: realEstateCertificate, chainId, registry },
        issuer: { agencyId: agencies.realEstate },
        holder: { id: holderId },
        validity: { validFrom: 0, validUntil: 0 },
        fields: {
          parcelNumber,
          owners,
          address: "上海市徐汇区漕溪北路 88 弄 6 号 1201 室",
          area: "89.5 m²",
          landUse: "住宅",
        },
      });
    const apartment = "沪(2024)徐汇区不动产权第012345号";
    const zhangDeed = deed(apartment, "310104199001011233", "张三 100%");
    const { titleId: apartmentTitle } = await registrar.titles.registerTitle({
      agencyId: agencies.realEstate,
      parcelNumber: apartment,
      parcel: {
        kind: UnitKind.Apartment,
        landUse: 71,
        area: 8_950,
        documentsHash: keccak256(toUtf8Bytes(`${apartment}#survey`)),
      },
      owners: [{ account: zhang.address, shares: 10_000 }],
      certificates: [
        {
          certificateId: zhangDeed.proof.certificateId,
          holderCommitment: zhangDeed.data["holder.commitment"].value as string,
        },
      ],
    });
    // Zhang sells to Li and her husband; both accept; the registrar approves; their certificate is issued on chain.
    const liAddress = address(A.citizenLi);
    const husband = address(A.enterprise);
    const sale = await (
      await as(A.citizenZhang)
    ).titles.proposeTransfer({
      titleId: apartmentTitle,
      buyers: [
        { account: liAddress, shares: 5_000 },
        { account: husband, shares: 5_000 },
      ],
      saleContractHash: keccak256(toUtf8Bytes("sale-contract-2026-001")),
      expiresAt: now + 30 * DAY,
    });
    await li.titles.acceptTransfer(apartmentTitle, sale.proposalId);
    await (await as(A.enterprise)).titles.acceptTransfer(apartmentTitle, sale.proposalId);
    const buyersDeed = deed(apartment, "310105199203045673", "李四 50%, 王五 50%");
    await registrar.titles.approveTransfer(apartmentTitle, sale.proposalId, [
      {
        certificateId: buyersDeed.proof.certificateId,
        holderCommitment: buyersDeed.data["holder.commitment"].value as string,
      },
    ]);
    // The buyers mortgage the apartment to the bank: both consent on chain, the bank registers the lien.
    const lienTerms = {
      titleId: apartmentTitle,
      lenderAgencyId: agencies.bank,
      kind: LienKind.Ordinary,
      amount: 300_000_000n, // ¥3,000,000.00, in fen (the registry records amounts in the currency's smallest unit)
      periodEnd: 0, // an ordinary mortgage has no ceiling period
      loanContractHash: keccak256(toUtf8Bytes("loan-contract-2026-778")),
      deadline: now + 7 * DAY,
    };
    await li.titles.consentToLien(lienTerms);
    await (await as(A.enterprise)).titles.consentToLien(lienTerms);
    await bank.titles.registerLien(lienTerms);
    // A second parcel, frozen by the court in a dispute.
    const shop = "沪(2023)徐汇区不动产权第009876号";
    const { titleId: shopTitle } = await registrar.titles.registerTitle({
      agencyId: agencies.realEstate,
      parcelNumber: shop,
      parcel: {
        kind: UnitKind.Building,
        landUse: 52,
        area: 24_000,
        documentsHash: keccak256(toUtf8Bytes(`${shop}#survey`)),
      },
      owners: [{ account: zhang.address, shares: 10_000 }],
    });
    await (
      await as(A.courtOperator)
    ).titles.freeze(shopTitle, agencies.court, keccak256(toUtf8Bytes("(2026)沪01民初123号")));
    log("registered titles: a sale to co-owners with a mortgage, and a frozen shop");
    const deedFiles = writeCertificates(options.outDir, {
      "real-estate-certificate-buyers.json": buyersDeed,
      "real-estate-certificate-seller-before-sale.json": zhangDeed,
    });

    return {
      titles: { apartment, shop },
      agencies: { ...agencies, xuhui },
      certificateTypes: { businessLicence, marriage },
      certificates: {
        valid: valid.proof.certificateId,
        revoked: revoked.proof.certificateId,
        superseded: original.proof.certificateId,
        corrected: corrected.proof.certificateId,
        marriage: marriageCertificate.proof.certificateId,
      },
      datasets,
      files: [...files, ...deedFiles],
      subjects: { zhang: zhang.address, li: address(A.citizenLi) },
    };
  } finally {
    provider.destroy();
  }
}

function writeCertificates(outDir: string, certificates: Record<string, WrappedCertificate>): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  return Object.entries(certificates).map(([name, certificate]) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, JSON.stringify(certificate, null, 2) + "\n");
    return file;
  });
}
