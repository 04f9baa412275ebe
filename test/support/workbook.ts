/** Reading a workbook the bot made back, as a spreadsheet program would. */
import ExcelJS from "exceljs";

export async function openWorkbook(bytes: string | Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((typeof bytes === "string" ? Buffer.from(bytes, "base64") : bytes) as unknown as ArrayBuffer);
  return wb;
}

/** The number beside a label in a sheet's first two columns, after the row titled `after`. */
export function numberAfter(ws: ExcelJS.Worksheet, after: string, label: string): unknown {
  let seen = false;
  let found: unknown;
  ws.eachRow((row) => {
    const a = row.getCell(1).value;
    if (a === after) seen = true;
    else if (seen && found === undefined && a === label) {
      const v = row.getCell(2).value;
      // exceljs reads a cached 0 back as no result; the file holds <v>0</v>.
      found = v !== null && typeof v === "object" && "formula" in v ? (v.result ?? 0) : v;
    }
  });
  return found;
}
