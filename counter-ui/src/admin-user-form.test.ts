import { describe, expect, it } from 'vitest';
import { lockedUntilText, ownPasswordBody, patchUserBody, resetPasswordBody, userEditForm } from './admin-user-form';

describe('user forms', () => {
  const before = userEditForm({ name: '李四', staffNo: 'C02', role: 'clerk' });
  it('edits send only what changed', () => {
    expect(patchUserBody(before, { ...before, name: ' 李斯 ', role: 'supervisor' })).toEqual({ ok: true, value: { name: '李斯', role: 'supervisor' } });
    expect(patchUserBody(before, before)).toEqual({ ok: true, value: {} });
    expect(patchUserBody(before, { ...before, role: 'boss' }).ok).toBe(false);
    const empty = patchUserBody(before, { ...before, name: '' });
    expect(!empty.ok && empty.error).toMatch(/^名称（name）：/);
  });
  it('a reset needs 8+ characters typed twice alike', () => {
    expect(resetPasswordBody('short', 'short')).toEqual({ ok: false, error: '新密码至少8位 At least 8 characters' });
    expect(resetPasswordBody('long-enough-1', 'long-enough-2')).toEqual({ ok: false, error: '两次输入的新密码不一致 The passwords differ' });
    expect(resetPasswordBody('long-enough-1', 'long-enough-1')).toEqual({ ok: true, value: { password: 'long-enough-1' } });
  });
  it('one\'s own change needs the current password and a different new one', () => {
    expect(ownPasswordBody({ current: '', next: 'long-enough-1', confirm: 'long-enough-1' }).ok).toBe(false);
    expect(ownPasswordBody({ current: 'long-enough-1', next: 'long-enough-1', confirm: 'long-enough-1' })).toEqual({ ok: false, error: '新密码不能与当前密码相同 Choose a new password' });
    expect(ownPasswordBody({ current: 'old-password', next: 'long-enough-1', confirm: 'long-enough-1' })).toEqual({ ok: true, value: { currentPassword: 'old-password', newPassword: 'long-enough-1' } });
  });
  it('says until when a user is locked', () => {
    expect(lockedUntilText('2026-11-26T10:31:05+08:00')).toBe('已锁定至 10:31');
    expect(lockedUntilText(null)).toBeNull();
  });
});
