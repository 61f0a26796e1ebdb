// Validates many OOXML files in one Node process (the .NET WebAssembly runtime loads once,
// ~4 s) and prints one JSON object: {"<path>": [errors...], ...}. Used by the test suite.
import { readFile } from "fs/promises";
import validate, { getFileFormatFromName } from "@ooxml-tools/validate";

const results = {};
for (const path of process.argv.slice(2)) {
  try {
    const data = await readFile(path);
    results[path] = await validate(data, getFileFormatFromName(path), "Microsoft365");
  } catch (err) {
    results[path] = [{ id: "validator-crash", description: String(err), path: {} }];
  }
}
process.stdout.write(JSON.stringify(results));
process.exit(0);
