/**
 * Opens a staff-only page (the printable report) in a new tab: the tab opens on the click (a
 * browser allows that), the page comes with the token over fetch and is shown from a blob.
 */
export async function openWithToken(path: string, token: string | undefined): Promise<boolean> {
  const tab = window.open('', '_blank');
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    tab?.close();
    return false;
  }
  const url = URL.createObjectURL(await res.blob());
  if (tab) tab.location.href = url;
  else window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return true;
}
