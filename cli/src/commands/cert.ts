import fs from "node:fs";
import path from "node:path";

import type { Command } from "commander";

import type { GovChainClient } from "../../../sdk/src/client";
import { ContractRevertError } from "../../../sdk/src/errors/chain";
import { createDocument, disclose, wrapDocument } from "../../../sdk/src/utils/documents/certificates";
import type { CertificateDocument, WrappedCertificate } from "../../../sdk/src/utils/documents/format";
import { isJsonObject, type JsonObject } from "../../../sdk/src/utils/documents/json";
import { CertificateStatus, type BatchAnchor } from "../../../sdk/src/utils/documents/reader";
import type { VerificationResult } from "../../../sdk/src/utils/documents/verify";
import { InputError } from "../../../sdk/src/utils/validation";
import { parseCount, parseId, parseList, parseReason, parseTime, readJsonFile } from "../args";
import { accountOf, type CliContext } from "../context";
import {
  holderFieldOf,
  loadFieldSchema,
  readWrapped,
  requireIssuer,
  requireType,
  rowDocument,
  validateRows,
  type DocumentTemplate,
} from "../certificates";
import { writeFileAtomic } from "../journal";
import type { ActionRunner } from "../main";
import { EXIT_FAILURE, EXIT_OK, toJson } from "../output";
import { registerIssueBatchCommand } from "./certBatch";

const DAY = 86_400;

/** A certificate named on the command line: a wrapped certificate file, or a bare id. */
interface CertificateRef {
  certificateId: string;
  anchor?: BatchAnchor;
}

function certificateRef(value: string): CertificateRef {
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return { certificateId: value.toLowerCase() };
  const wrapped = readWrapped(value);
  const { certificateId, batchRoot, batchProof } = wrapped.proof;
  return {
    certificateId,
    anchor: batchRoot && batchProof ? { root: batchRoot, proof: batchProof } : undefined,
  };
}

function checkLines(result: VerificationResult): string[] {
  const width = Math.max(...Object.keys(result.checks).map((name) => name.length));
  return Object.values(result.checks).map(
    (check) => `  [${check.outcome.padEnd(7)}] ${check.name.padEnd(width)}  ${check.message}`,
  );
}

interface IssueOptions {
  type?: number;
  schema?: string;
  holderField?: string;
  validFrom: number;
  validUntil: number;
  out?: string;
}

/** Builds the document of `cert issue` from a full document (with `fields`) or a flat row of fields. */
function documentOf(
  file: string,
  input: JsonObject,
  template: DocumentTemplate,
  options: IssueOptions,
  schema: ReturnType<typeof loadFieldSchema> | undefined,
): CertificateDocument {
  if (isJsonObject(input.fields)) {
    const holder = isJsonObject(input.holder) ? input.holder.id : undefined;
    if (typeof holder !== "string" || holder === "")
      throw new InputError(`${file}: holder.id must be a non-empty string`);
    const validity = isJsonObject(input.validity) ? input.validity : {};
    const document: CertificateDocument = {
      type: { typeId: template.typeId, chainId: template.chainId, registry: template.registry },
      issuer: { agencyId: template.agencyId },
      holder: { id: holder },
      validity: {
        validFrom: typeof validity.validFrom === "number" ? validity.validFrom : template.validFrom,
        validUntil: typeof validity.validUntil === "number" ? validity.validUntil : template.validUntil,
      },
      fields: input.fields,
    };
    if (schema) {
      // The schema describes the fields with the holder's property, as a batch row has them.
      const holderField = options.holderField ?? schema.holderField;
      const values = holderField ? { ...input.fields, [holderField]: holder } : input.fields;
      validateRows(file, [{ row: 1, values }], schema, holderField);
    }
    return document;
  }
  const holderField = holderFieldOf(schema, options.holderField);
  if (schema) validateRows(file, [{ row: 1, values: input }], schema, holderField);
  else if (typeof input[holderField] !== "string")
    throw new InputError(`${file}: ${holderField} must hold the holder's id`);
  return rowDocument(input, holderField, template);
}

/**
 * Reads a document, checks it against the chain (the type, its schema, and with `issuing` the key's right to issue)
 * and wraps it with fresh salts.
 */
async function prepareCertificate(context: CliContext, file: string, options: IssueOptions, issuing: boolean) {
  const input = readJsonFile(file);
  if (!isJsonObject(input)) throw new InputError(`${file} must hold a JSON object`);
  const documentType = isJsonObject(input.type) ? input.type.typeId : undefined;
  const typeId = options.type ?? (typeof documentType === "number" ? documentType : undefined);
  if (typeId === undefined) {
    throw new InputError("name the certificate type: --type <id> (or type.typeId in the document)");
  }
  if (options.type !== undefined && typeof documentType === "number" && documentType !== options.type) {
    throw new InputError(`${file} says type ${documentType}, but --type is ${options.type}`);
  }
  const schema = options.schema ? loadFieldSchema(options.schema) : undefined;
  const client = await context.client({ signer: issuing });
  const t = await requireType(client, typeId, schema);
  if (issuing) await requireIssuer(client, await accountOf(client), t.agencyId);
  const template: DocumentTemplate = {
    typeId,
    agencyId: t.agencyId,
    chainId: client.manifest.chainId,
    registry: client.certificates.address,
    validFrom: options.validFrom,
    validUntil: options.validUntil,
  };
  const wrapped = wrapDocument(createDocument(documentOf(file, input, template, options, schema)));
  return { client, wrapped, typeId };
}

/**
 * Writes a wrapped certificate (before any transaction: its random salts are the certificate and must never be
 * lost); returns the path.
 */
function writeWrapped(wrapped: WrappedCertificate, out = `${wrapped.proof.certificateId}.json`): string {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileAtomic(out, toJson(wrapped) + "\n");
  return out;
}

/** `govchain cert ...`: certificate types, issuance, verification, disclosure and lifecycle. */
export function registerCertificateCommands(program: Command, run: ActionRunner): void {
  const cert = program.command("cert").description("electronic certificates");

  const type = cert.command("type").description("certificate types (the kinds of certificate an agency issues)");
  type
    .command("add")
    .description("register a certificate type; the chain records the keccak-256 of the schema's canonical JSON")
    .requiredOption("--agency <id>", "the issuing agency", parseId)
    .requiredOption("--name <name>", "the type's name")
    .requiredOption("--schema <file>", "JSON Schema of the certificate's fields")
    .option("--revocable", "certificates of this type may be revoked", false)
    .option("--validity-days <n>", "default validity in days (0: no end)", parseCount, 0)
    .action(
      run(
        async (
          context,
          options: { agency: number; name: string; schema: string; revocable: boolean; validityDays: number },
        ) => {
          const schema = loadFieldSchema(options.schema);
          const client = await context.client({ signer: true });
          const { typeId, transactionHash } = await client.certificates.registerType({
            agencyId: options.agency,
            name: options.name,
            schemaHash: schema.hash,
            revocable: options.revocable,
            defaultValidity: options.validityDays * DAY,
          });
          context.out.result(
            { typeId, agencyId: options.agency, name: options.name, schemaHash: schema.hash, transactionHash },
            [
              `registered certificate type ${typeId} (${options.name}) for agency ${options.agency}`,
              `schema hash ${schema.hash}`,
            ],
          );
        },
      ),
    );
  type
    .command("list")
    .description("list every certificate type")
    .action(
      run(async (context) => {
        const types = await (await context.client()).certificates.certificateTypes();
        context.out.result(
          types,
          types.length === 0
            ? "no certificate types yet"
            : types.map(
                (t) =>
                  `${t.typeId}\tagency ${t.agencyId}\t${t.retired ? "retired" : "active"}\t${t.revocable ? "revocable" : "final"}\t${t.name}`,
              ),
        );
      }),
    );
  type
    .command("show")
    .argument("<typeId>", "the type", parseId)
    .description("show a certificate type")
    .action(
      run(async (context, typeId: number) => {
        const client = await context.client();
        const t = await requireTypeForShow(client, typeId);
        context.out.result({ typeId, ...t }, [
          `certificate type ${typeId}: ${t.name}`,
          `  agency            ${t.agencyId}`,
          `  revocable         ${t.revocable ? "yes" : "no"}`,
          `  status            ${t.retired ? "retired" : "active"}`,
          `  default validity  ${t.defaultValidity === 0 ? "no end" : `${t.defaultValidity / DAY} days`}`,
          `  schema hash       ${t.schemaHash}`,
        ]);
      }),
    );

  const documentOptions = (command: Command) =>
    command
      .argument("<document>", "JSON file")
      .option("--type <id>", "the certificate type (or type.typeId in the document)", parseId)
      .option("--schema <file>", "the type's JSON Schema: the fields are validated and the hash must match the type's")
      .option("--holder-field <name>", "property holding the holder's id (default: the schema's x-govchain-holder)")
      .option("--valid-from <time>", "start of validity (default: at issuance)", (v) => parseTime(v), 0)
      .option("--valid-until <time>", "end of validity (default: the type's)", (v) => parseTime(v), 0)
      .option("--out <file>", "where to write the wrapped certificate (default ./<certificate id>.json)");

  documentOptions(
    cert
      .command("issue")
      .description(
        "issue one certificate from a JSON file (a document with holder.id and fields, or a flat object of fields) " +
          "and write the wrapped certificate",
      ),
  ).action(
    run(async (context, file: string, options: IssueOptions) => {
      const { client, wrapped, typeId } = await prepareCertificate(context, file, options, true);
      const certificateId = wrapped.proof.certificateId;
      const out = writeWrapped(wrapped, options.out);
      let transactionHash: string;
      try {
        transactionHash = await client.certificates.issueWrapped(wrapped);
      } catch (error) {
        // A refusal means nothing was issued: do not leave a certificate file that will never verify.
        if (error instanceof ContractRevertError || error instanceof InputError) fs.rmSync(out, { force: true });
        throw error;
      }
      context.out.result({ certificateId, typeId, transactionHash, file: out }, [
        `issued certificate ${certificateId} (type ${typeId})`,
        `wrapped certificate written to ${out}`,
      ]);
    }),
  );

  documentOptions(
    cert
      .command("wrap")
      .description(
        "wrap a certificate without issuing it (for a registry that issues it itself, such as `title register " +
          "--certificate`)",
      ),
  ).action(
    run(async (context, file: string, options: IssueOptions) => {
      const { wrapped, typeId } = await prepareCertificate(context, file, options, false);
      const out = writeWrapped(wrapped, options.out);
      context.out.result(
        { certificateId: wrapped.proof.certificateId, typeId, file: out },
        `wrapped certificate ${wrapped.proof.certificateId} written to ${out} (not issued)`,
      );
    }),
  );

  registerIssueBatchCommand(cert, run);

  cert
    .command("verify")
    .description("verify a wrapped certificate against the chain; exit 0 valid, 1 invalid, 2 unreadable input")
    .argument("<wrapped>", "wrapped certificate JSON file")
    .action(
      run(async (context, file: string) => {
        const input = readJsonFile(file);
        const client = await context.client();
        const result = await client.verifyCertificate(input);
        context.out.result(result, [
          `certificate ${result.certificateId ?? "(unreadable)"}`,
          ...checkLines(result),
          result.valid ? "VALID" : "INVALID",
        ]);
        return result.valid ? EXIT_OK : EXIT_FAILURE;
      }),
    );

  cert
    .command("export-vc")
    .description(
      "export a wrapped certificate as a W3C Verifiable Credential 2.0 (a vc+jwt signed with --key, an operator key " +
        "of the issuing agency)",
    )
    .argument("<wrapped>", "wrapped certificate JSON file")
    .requiredOption("--base-url <url>", "where the agencies' status lists and DID documents are published")
    .option("--out <file>", "write the JWT here (default: stdout)")
    .action(
      run(async (context, file: string, options: { baseUrl: string; out?: string }) => {
        const wrapped = readWrapped(file);
        const privateKey = context.wallet().privateKey;
        const client = await context.client();
        // Loaded on demand: the credential code (jose) is needed by this command only.
        const { exportVerifiableCredential } = await import("../../../sdk/src/vc/credentials");
        const exported = await exportVerifiableCredential(client, wrapped, { privateKey, baseUrl: options.baseUrl });
        if (options.out) writeFileAtomic(options.out, exported.jwt + "\n");
        context.out.result(
          { ...exported, file: options.out },
          options.out ? `wrote the credential of ${wrapped.proof.certificateId} to ${options.out}` : exported.jwt,
        );
      }),
    );

  cert
    .command("disclose")
    .description("hide fields of a wrapped certificate; the result still verifies (no chain access)")
    .argument("<wrapped>", "wrapped certificate JSON file")
    .requiredOption("--hide <paths>", "comma-separated field paths, such as fields.address,holder", parseList)
    .option("--out <file>", "write the result here (default: stdout)")
    .action(
      run(async (context, file: string, options: { hide: string[]; out?: string }) => {
        const disclosed = disclose(readWrapped(file), options.hide);
        if (options.out) {
          writeFileAtomic(options.out, toJson(disclosed) + "\n");
          context.out.result(
            { file: options.out, hidden: options.hide, certificateId: disclosed.proof.certificateId },
            `wrote ${options.out} with ${options.hide.join(", ")} hidden`,
          );
        } else {
          context.out.result(disclosed, toJson(disclosed));
        }
      }),
    );

  const lifecycle = async (
    context: CliContext,
    value: string,
    action: "revoke" | "suspend" | "reinstate",
    reason = 0,
  ): Promise<void> => {
    const ref = certificateRef(value);
    const client = await context.client({ signer: true });
    const certificates = client.certificates;
    const transactionHash =
      action === "revoke"
        ? await certificates.revoke(ref.certificateId, reason, ref.anchor)
        : action === "suspend"
          ? await certificates.suspend(ref.certificateId, ref.anchor)
          : await certificates.reinstate(ref.certificateId);
    const verb = { revoke: "revoked", suspend: "suspended", reinstate: "reinstated" }[action];
    context.out.result(
      { certificateId: ref.certificateId, action, transactionHash },
      `${verb} certificate ${ref.certificateId}`,
    );
  };
  cert
    .command("revoke")
    .description("revoke a certificate for good")
    .argument("<certificate>", "wrapped certificate file, or certificate id")
    .option("--reason <reason>", "fraud, issued-in-error, holder-request, court-order, ... or a code", parseReason, 0)
    .action(
      run(async (context, value: string, options: { reason: number }) =>
        lifecycle(context, value, "revoke", options.reason),
      ),
    );
  cert
    .command("suspend")
    .description("suspend a certificate (reinstate undoes it)")
    .argument("<certificate>", "wrapped certificate file, or certificate id")
    .action(run(async (context, value: string) => lifecycle(context, value, "suspend")));
  cert
    .command("reinstate")
    .description("reinstate a suspended certificate")
    .argument("<certificate>", "wrapped certificate file, or certificate id")
    .action(run(async (context, value: string) => lifecycle(context, value, "reinstate")));

  cert
    .command("status")
    .description("what the registry says about a certificate, and its history")
    .argument("<certificate>", "wrapped certificate file, or certificate id")
    .action(
      run(async (context, value: string) => {
        const ref = certificateRef(value);
        const client = await context.client();
        const [verification, history] = await Promise.all([
          client.certificates.verification(ref.certificateId, ref.anchor),
          client.certificates.history(ref.certificateId),
        ]);
        context.out.result({ certificateId: ref.certificateId, ...verification, history }, [
          `certificate ${ref.certificateId}: ${CertificateStatus[verification.status]}${verification.revocationReason ? ` (${verification.revocationReason})` : ""}`,
          ...(verification.status === CertificateStatus.None
            ? []
            : [
                `  type ${verification.typeId}, agency ${verification.agencyId}, issuer key ${verification.issuerKeyId}`,
                `  issued ${new Date(verification.issuedAt * 1000).toISOString()}, valid ${new Date(verification.validFrom * 1000).toISOString()} to ${verification.validUntil ? new Date(verification.validUntil * 1000).toISOString() : "no end"}`,
                `  registry verdict: ${verification.valid ? "valid" : "not valid"}`,
              ]),
          ...history.map(
            (e) => `  block ${e.blockNumber}  ${e.kind}${e.detail ? ` (${e.detail})` : ""}  ${e.transactionHash}`,
          ),
        ]);
        return verification.status === CertificateStatus.None ? EXIT_FAILURE : EXIT_OK;
      }),
    );
}

async function requireTypeForShow(client: GovChainClient, typeId: number) {
  const t = await client.certificates.certificateType(typeId);
  if (!t) throw new InputError(`certificate type ${typeId} does not exist`);
  return t;
}
