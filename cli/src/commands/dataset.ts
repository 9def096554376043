import { InvalidArgumentError, type Command } from "commander";

import { Sensitivity, SharingCategory } from "../../../sdk/src/utils/datasharing";
import { InputError } from "../../../sdk/src/utils/validation";
import { parseBytes32, parseId, parsePurposes } from "../args";
import { loadFieldSchema } from "../certificates";
import type { ActionRunner } from "../main";

/** `personal` / `sensitive-personal` → the enum value. */
function enumParser<E extends Record<string, string | number>>(values: E, what: string): (value: string) => number {
  return (value) => {
    const key = value.replace(/[-_\s]/g, "").toLowerCase();
    const match = Object.entries(values).find(([name, v]) => typeof v === "number" && name.toLowerCase() === key);
    if (!match) {
      const names = Object.keys(values).filter((name) => Number.isNaN(Number(name)));
      throw new InvalidArgumentError(`unknown ${what} "${value}" (known: ${names.join(", ")})`);
    }
    return match[1] as number;
  };
}

interface PublishOptions {
  agency: number;
  title: string;
  schema?: string;
  schemaHash?: string;
  sensitivity: number;
  sharing: number;
  purposes: string[];
}

/** `govchain dataset ...`: the data catalogue. */
export function registerDatasetCommands(program: Command, run: ActionRunner): void {
  const dataset = program.command("dataset").description("the catalogue of datasets agencies share");
  dataset
    .command("publish")
    .description("publish a dataset in the catalogue (an operator of an agency holding PublishDatasets)")
    .requiredOption("--agency <id>", "the owning agency", parseId)
    .requiredOption("--title <title>", "the dataset's title")
    .option("--schema <file>", "JSON Schema of a record (its canonical hash goes on chain)")
    .option("--schema-hash <hash>", "the schema's hash, instead of --schema", parseBytes32)
    .requiredOption(
      "--sensitivity <level>",
      "public, internal, personal or sensitive-personal",
      enumParser(Sensitivity, "sensitivity"),
    )
    .requiredOption(
      "--sharing <category>",
      "unconditional, conditional or not-shared",
      enumParser(SharingCategory, "sharing category"),
    )
    .requiredOption("--purposes <list>", "comma-separated purpose labels (or 32-byte codes)", parsePurposes)
    .action(
      run(async (context, options: PublishOptions) => {
        if ((options.schema === undefined) === (options.schemaHash === undefined)) {
          throw new InputError("give exactly one of --schema <file> and --schema-hash <hash>");
        }
        const schemaHash = options.schemaHash ?? loadFieldSchema(options.schema!).hash;
        const client = await context.client({ signer: true });
        const { datasetId, transactionHash } = await client.dataSharing.publishDataset(options.agency, {
          title: options.title,
          schemaHash,
          sensitivity: options.sensitivity,
          sharing: options.sharing,
          purposes: options.purposes,
        });
        context.out.result(
          { datasetId, agencyId: options.agency, schemaHash, transactionHash },
          `published dataset ${datasetId} (${options.title}) for agency ${options.agency}`,
        );
      }),
    );
  dataset
    .command("show")
    .argument("<datasetId>", "the dataset", parseId)
    .description("show a dataset")
    .action(
      run(async (context, datasetId: number) => {
        const d = await (await context.client()).dataSharing.dataset(datasetId);
        context.out.result(d, [
          `dataset ${d.id}: ${d.title}${d.withdrawn ? " (withdrawn)" : ""}`,
          `  owner agency  ${d.ownerAgencyId}`,
          `  version       ${d.version}`,
          `  sensitivity   ${Sensitivity[d.sensitivity]}`,
          `  sharing       ${SharingCategory[d.sharing]}`,
          `  schema hash   ${d.schemaHash}`,
          `  purposes      ${d.purposes.join(", ")}`,
        ]);
      }),
    );
  dataset
    .command("list")
    .description("list every dataset")
    .action(
      run(async (context) => {
        const all = await (await context.client()).dataSharing.datasets();
        context.out.result(
          all,
          all.length === 0
            ? "no datasets yet"
            : all.map((d) => `${d.id}\tagency ${d.ownerAgencyId}\t${Sensitivity[d.sensitivity]}\t${d.title}`),
        );
      }),
    );
}
