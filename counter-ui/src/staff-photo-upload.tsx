/** Admin: a user's photo for counter screens (挂牌上岗): pick a JPEG or PNG, it is uploaded as is. */
import { useStaff } from './staff-store';

/** The largest photo the server takes (hall-server staff-photos/photo-store.ts). */
const MAX_BYTES = 300 * 1024;

export function StaffPhotoUpload({ userId, name }: { userId: string; name: string }) {
  const s = useStaff();
  return (
    <input
      class="photo-upload"
      type="file"
      aria-label={`${name} 照片 Photo`}
      accept="image/jpeg,image/png"
      data-photo-for={userId}
      onChange={async (e) => {
        const input = e.target as HTMLInputElement;
        const file = input.files?.[0];
        input.value = '';
        if (!file) return;
        if (file.size > MAX_BYTES) return s.toast('error', '照片不能超过 300 KB Photo over 300 KB');
        const res = await fetch(`/api/users/${encodeURIComponent(userId)}/photo`, {
          method: 'PUT',
          headers: { 'Content-Type': file.type || 'application/octet-stream', Authorization: `Bearer ${s.session.value?.token ?? ''}` },
          body: file,
        }).catch(() => null);
        if (res?.status === 204) s.toast('info', `已更新 ${name} 的照片 Photo saved`);
        else s.toast('error', res?.status === 400 ? '请选择 JPEG 或 PNG 照片 JPEG or PNG only' : '照片上传失败 Upload failed');
      }}
    />
  );
}
