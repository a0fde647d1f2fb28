/**
 * The demo hall an empty data folder gets (API.md): a county service centre with the township
 * service domains of the county plan, counters with Chinese names, simulated counter devices,
 * and services that issue tickets at every hour of every day so a demo at night works.
 * No users and no terminals: the server creates the first admin and the demo kiosk itself.
 */
import { CONFIG_VERSION, HallConfig } from '@hall/protocol';
import type { Hours } from '@hall/protocol';

/** Demo services issue tickets around the clock, whatever the hall's own hours. */
const ALWAYS: Hours = {
  open: { start: '00:00', end: '24:00' },
  lunch: null,
  weekdays: [0, 1, 2, 3, 4, 5, 6],
  allDay: true,
};

/** 预约服务 in the demo hall: 社保 and 市场主体登记 take bookings in the hall's hours (the phone page at /book). */
const BOOKABLE = ['svc-social', 'svc-business'];
const DEMO_APPOINTMENTS = {
  enabled: true,
  slotMinutes: 30,
  capacity: 4,
  hours: { open: { start: '08:30', end: '17:30' }, lunch: { start: '12:00', end: '13:30' }, weekdays: [1, 2, 3, 4, 5], allDay: false },
};

/** 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04). */
const HOLIDAYS_2026 = [
  ['2026-01-01', '2026-01-03'], // 元旦
  ['2026-02-15', '2026-02-23'], // 春节
  ['2026-04-04', '2026-04-06'], // 清明节
  ['2026-05-01', '2026-05-05'], // 劳动节
  ['2026-06-19', '2026-06-21'], // 端午节
  ['2026-09-25', '2026-09-27'], // 中秋节
  ['2026-10-01', '2026-10-07'], // 国庆节
] as const;
/** 调休上班. */
const WORKDAYS_2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

function datesBetween(first: string, last: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

interface DemoService {
  id: string;
  name: string;
  nameEn: string;
  category: string;
  prefix: string;
  materials: string[];
  waitLimitMinutes: number;
  serviceLimitMinutes: number;
  completionWorkingDays: number;
}

const SERVICES: DemoService[] = [
  {
    id: 'svc-social',
    name: '社会保险',
    nameEn: 'Social insurance',
    category: '社保',
    prefix: 'A',
    materials: [
      '居民身份证原件及复印件',
      '户口簿原件及复印件',
      '社会保障卡(已办理的请携带)',
      '近期一寸免冠彩色照片1张(新办社保卡)',
      '本人银行卡或存折(待遇发放)',
    ],
    waitLimitMinutes: 30,
    serviceLimitMinutes: 15,
    completionWorkingDays: 0,
  },
  {
    id: 'svc-health',
    name: '医保与计生',
    nameEn: 'Medical insurance and family planning',
    category: '计生',
    prefix: 'B',
    materials: [
      '居民身份证及户口簿',
      '结婚证(办理生育登记)',
      '医疗费用票据原件及费用清单(医疗费用报销)',
      '出院小结或诊断证明',
      '本人银行卡',
    ],
    waitLimitMinutes: 30,
    serviceLimitMinutes: 20,
    completionWorkingDays: 15,
  },
  {
    id: 'svc-agri',
    name: '农机服务',
    nameEn: 'Agricultural machinery',
    category: '农机',
    prefix: 'C',
    materials: [
      '居民身份证原件及复印件',
      '购机发票原件',
      '农机具出厂合格证',
      '购机者与所购机具合影照片',
      '惠农补贴"一卡通"或本人银行账户信息',
    ],
    waitLimitMinutes: 30,
    serviceLimitMinutes: 20,
    completionWorkingDays: 10,
  },
  {
    id: 'svc-land',
    name: '不动产登记',
    nameEn: 'Land and real estate registration',
    category: '土地管理',
    prefix: 'D',
    materials: [
      '不动产登记申请书',
      '申请人身份证明',
      '权属来源证明材料(买卖合同、继承公证书等)',
      '原不动产权证书(变更、转移登记)',
      '完税凭证',
      '地籍调查表、宗地图',
    ],
    waitLimitMinutes: 40,
    serviceLimitMinutes: 30,
    completionWorkingDays: 5,
  },
  {
    id: 'svc-business',
    name: '营业执照办理',
    nameEn: 'Business registration',
    category: '市场监管',
    prefix: 'E',
    materials: [
      '个体工商户或公司登记(备案)申请书',
      '经营者或法定代表人身份证明',
      '经营场所使用证明(房产证或租赁协议)',
      '公司章程(设立公司)',
      '名称自主申报告知书',
    ],
    waitLimitMinutes: 30,
    serviceLimitMinutes: 30,
    completionWorkingDays: 1,
  },
  {
    id: 'svc-build',
    name: '农村建房审批',
    nameEn: 'Village and town construction',
    category: '村镇建设',
    prefix: 'F',
    materials: [
      '农村宅基地和建房(规划许可)申请表',
      '申请人身份证、户口簿',
      '村民小组及村民委员会审查意见',
      '建房设计图或通用图集选用说明',
      '宅基地使用权证明或用地批准文件',
    ],
    waitLimitMinutes: 30,
    serviceLimitMinutes: 30,
    completionWorkingDays: 20,
  },
  {
    id: 'svc-finance',
    name: '惠农补贴',
    nameEn: 'Finance and farm subsidies',
    category: '财政',
    prefix: 'G',
    materials: ['居民身份证原件', '惠农补贴"一卡通"或社会保障卡', '户口簿', '补贴发放信息变更申请表'],
    waitLimitMinutes: 20,
    serviceLimitMinutes: 15,
    completionWorkingDays: 5,
  },
  {
    id: 'svc-justice',
    name: '信访与法律援助',
    nameEn: 'Petitions and legal aid',
    category: '信访',
    prefix: 'H',
    materials: [
      '居民身份证或其他有效身份证明',
      '信访事项书面材料(写明诉求、事实和理由)',
      '法律援助申请表',
      '经济困难状况说明表',
      '与所申请事项有关的证据材料',
    ],
    waitLimitMinutes: 30,
    serviceLimitMinutes: 40,
    completionWorkingDays: 7,
  },
];

const COUNTERS: Array<{ number: number; name: string; services: Array<[string, number]> }> = [
  { number: 1, name: '1号窗口 社保医保', services: [['svc-social', 2], ['svc-health', 1]] },
  { number: 2, name: '2号窗口 社保医保', services: [['svc-social', 1], ['svc-health', 2]] },
  { number: 3, name: '3号窗口 不动产登记', services: [['svc-land', 1]] },
  { number: 4, name: '4号窗口 市场监管', services: [['svc-business', 1]] },
  { number: 5, name: '5号窗口 农机财政', services: [['svc-agri', 1], ['svc-finance', 1]] },
  { number: 6, name: '6号窗口 村镇建设', services: [['svc-build', 2], ['svc-land', 1]] },
  { number: 7, name: '7号窗口 信访司法', services: [['svc-justice', 1]] },
  { number: 8, name: '8号窗口 综合受理', services: [['svc-finance', 1], ['svc-build', 1], ['svc-justice', 1]] },
];

export function createDemoConfig(): HallConfig {
  const raw = {
    version: CONFIG_VERSION,
    hall: {
      id: 'hall-xuyi',
      name: '盱眙县政务服务中心',
      level: 'county',
      timezone: 'Asia/Shanghai',
      hours: { open: { start: '08:30', end: '17:30' }, lunch: { start: '12:00', end: '13:30' }, weekdays: [1, 2, 3, 4, 5], allDay: false },
      calendar: { holidays: HOLIDAYS_2026.flatMap(([a, b]) => datesBetween(a, b)), workdays: WORKDAYS_2026 },
      phraseTemplate: '请{number}号到{counter}号窗口办理',
    },
    services: SERVICES.map((s, i) => ({ ...s, ticketHours: ALWAYS, sort: i + 1, ...(BOOKABLE.includes(s.id) ? { appointments: DEMO_APPOINTMENTS } : {}) })),
    counters: COUNTERS.map((c) => ({
      id: `ctr-${c.number}`,
      number: c.number,
      name: c.name,
      services: c.services.map(([serviceId, weight]) => ({ serviceId, weight })),
    })),
    users: [],
    terminals: [],
    devices: [1, 2].flatMap((n) => [
      { id: `dev-led-${n}`, kind: 'led-board', name: `${n}号窗口屏`, transport: { type: 'simulated' }, attachedTo: { counterId: `ctr-${n}` }, address: n, profile: null },
      { id: `dev-keypad-${n}`, kind: 'keypad', name: `${n}号窗口呼叫器`, transport: { type: 'simulated' }, attachedTo: { counterId: `ctr-${n}` }, address: n, profile: null },
      { id: `dev-eval-${n}`, kind: 'evaluator', name: `${n}号窗口评价器`, transport: { type: 'simulated' }, attachedTo: { counterId: `ctr-${n}` }, address: n, profile: null },
    ]),
    notices: [
      { id: 'notice-1', text: '本中心实行首问负责、一次性告知、限时办结制度,所需材料见取号单。' },
      { id: 'notice-2', text: '老年人、残疾人、现役军人、孕妇可优先办理,请到导服台咨询。' },
      { id: 'notice-3', text: '办事结束后请对窗口服务进行评价(好差评),您的评价是我们改进的动力。' },
    ],
  };
  return HallConfig.parse(raw);
}
