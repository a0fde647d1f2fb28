/**
 * Vendor reader tools (`{ "type": "vendor-sdk", "tool": "sdt" }`): the command that runs a
 * vendor SDK is taken from the machine that runs the device (env `HALL_VENDOR_TOOLS`, JSON
 * `{ "sdt": { "command": "/opt/sdt/sdt-read", "args": [] } }`), never from config.json or the
 * API, so an admin account cannot make the hall server or a kiosk PC run a program of its choice.
 */
export interface VendorTool {
  command: string;
  args: string[];
}

/** The tool named in config, or why it cannot be run here. */
export function vendorTool(name: string, env: NodeJS.ProcessEnv = process.env): VendorTool | string {
  const raw = env.HALL_VENDOR_TOOLS;
  if (!raw) return `transport.tool: no vendor tools on this machine (set HALL_VENDOR_TOOLS, see the devices README)`;
  let tools: unknown;
  try {
    tools = JSON.parse(raw);
  } catch {
    return 'HALL_VENDOR_TOOLS is not JSON';
  }
  const t = typeof tools === 'object' && tools !== null && Object.hasOwn(tools, name) ? (tools as Record<string, unknown>)[name] : undefined;
  if (typeof t !== 'object' || t === null) return `transport.tool: "${name}" is not in HALL_VENDOR_TOOLS on this machine`;
  const { command, args = [] } = t as { command?: unknown; args?: unknown };
  if (typeof command !== 'string' || command === '' || !Array.isArray(args) || !args.every((a) => typeof a === 'string'))
    return `HALL_VENDOR_TOOLS.${name}: needs { "command": string, "args"?: string[] }`;
  return { command, args: args as string[] };
}
