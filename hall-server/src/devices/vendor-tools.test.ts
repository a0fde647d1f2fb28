import { describe, expect, it } from 'vitest';
import { vendorTool } from './vendor-tools';

describe('vendor reader tools come from the machine, not from config', () => {
  it('finds a tool named in HALL_VENDOR_TOOLS', () => {
    const env = { HALL_VENDOR_TOOLS: '{"sdt":{"command":"/opt/sdt/sdt-read","args":["--port","usb"]}}' };
    expect(vendorTool('sdt', env)).toEqual({ command: '/opt/sdt/sdt-read', args: ['--port', 'usb'] });
  });

  it('says why a tool cannot run here', () => {
    expect(vendorTool('sdt', {})).toMatch(/no vendor tools on this machine/);
    expect(vendorTool('sdt', { HALL_VENDOR_TOOLS: 'nope' })).toBe('HALL_VENDOR_TOOLS is not JSON');
    expect(vendorTool('other', { HALL_VENDOR_TOOLS: '{"sdt":{"command":"x"}}' })).toMatch(/"other" is not in HALL_VENDOR_TOOLS/);
    expect(vendorTool('toString', { HALL_VENDOR_TOOLS: '{}' })).toMatch(/not in HALL_VENDOR_TOOLS/);
    expect(vendorTool('sdt', { HALL_VENDOR_TOOLS: '{"sdt":{"command":7}}' })).toMatch(/needs/);
  });
});
