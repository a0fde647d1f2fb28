/**
 * Code tables printed on and stored in the ID card: sex (GB/T 2261.1) and nation (GB 3304).
 */

export type SexCode = '0' | '1' | '2' | '9';

export const SEX_NAMES: Readonly<Record<SexCode, string>> = {
  '0': '未知',
  '1': '男',
  '2': '女',
  '9': '未说明',
};

export function isSexCode(code: string): code is SexCode {
  return code === '0' || code === '1' || code === '2' || code === '9';
}

/** GB 3304-1991 names of the 56 nations (in the order of their codes 01–56), plus 97 and 98. */
export const NATION_NAMES: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(
    [
      '汉', '蒙古', '回', '藏', '维吾尔', '苗', '彝', '壮', '布依', '朝鲜',
      '满', '侗', '瑶', '白', '土家', '哈尼', '哈萨克', '傣', '黎', '傈僳',
      '佤', '畲', '高山', '拉祜', '水', '东乡', '纳西', '景颇', '柯尔克孜', '土',
      '达斡尔', '仫佬', '羌', '布朗', '撒拉', '毛南', '仡佬', '锡伯', '阿昌', '普米',
      '塔吉克', '怒', '乌孜别克', '俄罗斯', '鄂温克', '德昂', '保安', '裕固', '京', '塔塔尔',
      '独龙', '鄂伦春', '赫哲', '门巴', '珞巴', '基诺',
    ].map((name, i) => [String(i + 1).padStart(2, '0'), name]),
  ),
  '97': '其他',
  '98': '外国血统',
});

/** The nation's name for a two-digit code, or undefined for an unknown code. */
export function nationName(code: string): string | undefined {
  return NATION_NAMES[code];
}

/** The two-digit code for a nation's name (`汉` or `汉族`), for simulators and tests. */
export function nationCodeOf(name: string): string | undefined {
  const bare = name.endsWith('族') && name.length > 1 ? name.slice(0, -1) : name;
  for (const [code, n] of Object.entries(NATION_NAMES)) if (n === bare || n === name) return code;
  return undefined;
}
