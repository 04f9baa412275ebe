/**
 * `register export HG 2026 [--out DIR]`: 收文登记簿 of a property's year written as a workbook
 * (seed 000 §2(2)B), the same file `/export register 2026` sends a lead in chat.
 */
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { t } from "../core/text.js";
import { propertyNamed, usageOf, type AdminCommand } from "./deps.js";

export const letterCommands: readonly AdminCommand[] = [
  {
    name: "register export",
    usage: "letters.admin.usage",
    async run([code, typedYear], values, d) {
      if (!d.letters || !code || !typedYear || !/^\d{4}$/.test(typedYear)) return usageOf(d, "letters.admin.usage");
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const year = Number(typedYear);
      const rows = await d.letters.register.registerOfYear(property.id, year);
      const file = await d.letters.files.register({ property, year, rows, locale: d.staffLocale });
      const path = resolve(join(values.out ?? ".", file.filename));
      await writeFile(path, Buffer.from(file.base64, "base64"));
      d.say(t("letters.admin.written", { path, count: rows.length }));
      return 0;
    },
  },
];
