/** `journal-all-events` / `putSku` / `inventory-controller` → `JournalAllEvents` / `PutSku` / `InventoryController`. */
export function toPascal(name: string): string {
  return name.replace(/(^|[^a-zA-Z0-9]+)([a-zA-Z0-9])/g, (_match, _separator, c: string) => c.toUpperCase());
}
