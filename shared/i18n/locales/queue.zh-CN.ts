/** 坐席队列的中文文案：状态栏与队列签入（`queue.*`）。 */
export const queueZhCN = {
  label: '队列',
  none: '未签入任何队列',
  waiting: '{{count}} 个等待',
  longest: '（最长 {{wait}}）',
  menuTitle: '接听以下队列的来电',
  loginSwitch: '接听{{name}}的来电',
  loginHint: '您所在队列的等待来电；点击签入或签出队列',
  offer: {
    queue: '{{name}}队列',
    vip: 'VIP 客户',
    waited: '已等待 {{wait}}',
    reason: {
      owner: '分配给您：您是该客户的负责人',
      skill: '分配给您：当前可用的最高技能等级',
      'longest-idle': '分配给您：空闲时间最长的坐席',
    },
  },
};
